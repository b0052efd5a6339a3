from django.urls import path

from . import views

console_urls = [
    path("", views.alarms, name="alarms"),
    path("alarms/rows/", views.alarm_rows, name="alarm-rows"),
    path("alarms/plan/", views.alarm_plan, name="alarm-plan"),
    path("alarms/<int:pk>/", views.alarm_detail, name="alarm"),
    path("alarms/<int:pk>/<str:action>/", views.alarm_action, name="alarm-action"),
    path("devices/", views.devices, name="devices"),
    path("visitors/", views.visitors, name="visitors"),
]

resident_urls = [
    path("", views.resident_home, name="home"),
    path("passes/new/", views.pass_new, name="pass-new"),
    path("passes/<int:pk>/qr.svg", views.pass_qr, name="pass-qr"),
    path("credentials/<int:pk>/revoke/", views.credential_revoke, name="credential-revoke"),
]
