from django.urls import path

from linli.sharing import views

resident_urls = [
    path("", views.browse, name="browse"),
    path("resources/<int:pk>/", views.resource, name="resource"),
    path("resources/<int:pk>/book/", views.book, name="book"),
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/cancel/", views.cancel, name="cancel"),
]

console_urls = [
    path("", views.home, name="home"),
    path("bookings/<int:pk>/<slug:action>/", views.booking_action, name="booking-action"),
    path("reports/", views.reports, name="reports"),
    path("resources/<int:pk>/utilisation/", views.utilisation, name="utilisation"),
]

public_urls = [
    path("feeds/<str:token>.ics", views.my_feed, name="my-feed"),
    path("resources/<int:pk>.ics", views.resource_feed, name="resource-feed"),
]
