from django.urls import path

from linli.sharing import views

resident_urls = [
    path("", views.resident_home, name="home"),
    path("mine/", views.mine, name="mine"),
    path("r/<slug:code>/", views.resident_resource, name="resource"),
    path("r/<slug:code>/book/", views.book, name="book"),
    path("bookings/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("lotteries/<int:pk>/enter/", views.lottery_enter, name="lottery-enter"),
]

console_urls = [
    path("", views.console_home, name="home"),
    path("r/<slug:code>/", views.console_resource, name="resource"),
    path("bookings/<int:pk>/", views.decide, name="decide"),
    path("r/<slug:code>/lottery/", views.lottery_open, name="lottery-open"),
    path("r/<slug:code>/exception/", views.exception_add, name="exception-add"),
    path("r/<slug:code>/hours/", views.hours_add, name="hours-add"),
    path("hours/<int:pk>/remove/", views.hours_remove, name="hours-remove"),
    path("new/", views.resource_new, name="resource-new"),
    path("calendar/", views.calendar, name="calendar"),
    path("lotteries/<int:pk>/run/", views.lottery_run, name="lottery-run"),
    path("reciprocity/", views.reciprocity, name="reciprocity"),
    path("utilisation/", views.utilisation, name="utilisation"),
]

public_urls = [
    path("r/<slug:code>.ics", views.resource_ics, name="resource_ics"),
    path("feed/<str:token>.ics", views.my_ics, name="my_ics"),
]
