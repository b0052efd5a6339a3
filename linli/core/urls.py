from django.urls import path

from linli.core import views

console_urls = [
    path("audit/", views.audit_log, name="audit"),
    path("focus/", views.focus, name="focus"),
    path(
        "notifications/",
        views.notifications,
        {"template": "core/console_notifications.html"},
        name="notifications",
    ),
    path("notifications/read/", views.notifications_read, name="notifications-read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification"),
]

resident_urls = [
    path(
        "notifications/",
        views.notifications,
        {"template": "core/resident_notifications.html"},
        name="notifications",
    ),
    path("notifications/read/", views.notifications_read, name="notifications-read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification"),
    path("settings/", views.settings_page, name="settings"),
]
