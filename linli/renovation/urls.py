from django.urls import path

from linli.renovation import views

resident_urls = [
    path("", views.home, name="home"),
    path("projects/<int:pk>/", views.project, name="project"),
    path("projects/<int:pk>/answer/", views.answer, name="answer"),
    path("projects/<int:pk>/inspect/", views.inspect, name="inspect"),
    path("votes/<int:pk>/ballot/", views.ballot, name="ballot"),
    path("votes/<int:pk>/objection/", views.objection, name="objection"),
    path("votes/<int:pk>/<slug:kind>.pdf", views.notice_pdf, name="notice"),
]

console_urls = [
    path("", views.console_home, name="home"),
    path("projects/<int:pk>/", views.console_project, name="project"),
    path("projects/<int:pk>/<slug:action>/", views.console_action, name="action"),
    path("votes/<int:pk>/<slug:action>/", views.vote_action, name="vote"),
]
