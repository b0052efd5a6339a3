from django.urls import path

from . import staff_views, views

console_urls = [
    path("", views.alarms, name="alarms"),
    path("alarms/rows/", views.alarm_rows, name="alarm-rows"),
    path("alarms/plan/", views.alarm_plan, name="alarm-plan"),
    path("alarms/<int:pk>/", views.alarm_detail, name="alarm"),
    path("alarms/<int:pk>/<str:action>/", views.alarm_action, name="alarm-action"),
    path("devices/", views.devices, name="devices"),
    path("devices/new/", staff_views.device_new, name="device-new"),
    path("devices/<int:pk>/", staff_views.device_detail, name="device"),
    path("devices/<int:pk>/edit/", staff_views.device_edit, name="device-edit"),
    path("devices/<int:pk>/rotate/", staff_views.device_rotate, name="device-rotate"),
    path("credentials/", staff_views.credentials, name="credentials"),
    path(
        "credentials/<int:pk>/revoke/",
        staff_views.credential_revoke,
        name="credential-revoke",
    ),
    path("visitors/", views.visitors, name="visitors"),
]

resident_urls = [
    path("", views.resident_home, name="home"),
    path("passes/new/", views.pass_new, name="pass-new"),
    path("passes/<int:pk>/qr.svg", views.pass_qr, name="pass-qr"),
    path("credentials/<int:pk>/revoke/", views.credential_revoke, name="credential-revoke"),
]
