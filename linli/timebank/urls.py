from django.urls import path

from linli.timebank import views

resident_urls = [
    path("", views.home, name="home"),
    path("signup/", views.signup, name="signup"),
    path("request/", views.request_help, name="request"),
    path("gift/", views.gift, name="gift"),
    path("statement.pdf", views.statement_pdf, name="statement"),
    path("services/<int:pk>/", views.service, name="service"),
    path("services/<int:pk>/<slug:action>/", views.service_action, name="service-action"),
]

console_urls = [
    path("", views.console_home, name="home"),
    path("board/", views.board, name="board"),
    path("board/request/", views.file_request, name="file-request"),
    path("services/<int:pk>/review/", views.review, name="review"),
    path("services/<int:pk>/confirm/", views.proxy_confirm, name="proxy-confirm"),
    path("volunteers/", views.volunteers, name="volunteers"),
    path("pool/", views.pool, name="pool"),
]
