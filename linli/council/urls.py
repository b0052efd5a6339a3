from django.urls import path

from linli.council import views

resident_urls = [
    path("", views.home, name="home"),
    path("propose/", views.propose, name="propose"),
    path("topics/<int:pk>/", views.topic, name="topic"),
    path("topics/<int:pk>/cosign/", views.cosign, name="cosign"),
    path("resolutions/<int:pk>/object/", views.object_, name="object"),
    path("resolutions/<int:pk>/vote/", views.vote, name="vote"),
    path("tasks/<int:pk>/rate/", views.rate, name="rate"),
    path("checkin/<str:token>/", views.checkin, name="checkin"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("parking/<int:pk>/", views.parking, name="parking"),
    path("parking/<int:pk>/apply/", views.parking_apply, name="parking-apply"),
    path("parking/<int:pk>/object/", views.parking_object, name="parking-object"),
    path("meetings/<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes-pdf"),
    path("resolutions/<int:pk>/notice.pdf", views.notice_pdf, name="notice-pdf"),
]

console_urls = [
    path("", views.console_home, name="home"),
    path("councils/<int:pk>/", views.council_detail, name="council"),
    path("councils/<int:pk>/meetings/new/", views.meeting_create, name="meeting-create"),
    path("topics/<int:pk>/decide/", views.topic_decide, name="topic-decide"),
    path("from-event/<int:event_pk>/", views.topic_from_event, name="topic_from_event"),
    path("councils/<int:pk>/parking/new/", views.parking_create, name="parking-create"),
    path("parking/<int:pk>/", views.parking_console, name="parking"),
    path("parking/<int:pk>/draw/", views.parking_draw, name="parking-draw"),
    path("parking-objections/<int:pk>/answer/", views.parking_answer, name="parking-answer"),
    path("councils/<int:pk>/seats/", views.seat_act, name="seats"),
    path("meetings/<int:pk>/", views.meeting_console, name="meeting"),
    path("meetings/<int:pk>/<slug:action>/", views.meeting_act, name="meeting-act"),
]

public_urls = [
    path("ical/<str:token>.ics", views.ical, name="ical"),
]
