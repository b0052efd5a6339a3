from django.urls import path, re_path

from linli.grid import open311, views

console_urls = [
    path("events/", views.events, name="events"),
    path("events/new/", views.event_new, name="event_new"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/<slug:action>/", views.event_action, name="event_action"),
    path("kpi/", views.kpi, name="kpi"),
    path("care/", views.care, name="care"),
    path("care/new/", views.care_register, name="care_register"),
    path("care/<int:pk>/", views.care_detail, name="care_detail"),
    path("visits/<int:pk>/event/", views.visit_to_event, name="visit_event"),
    path("branches/", views.branches, name="branches"),
    path("holidays/", views.holidays, name="holidays"),
]

resident_urls = [
    path("report/", views.report, name="report"),
    path("mine/", views.mine, name="mine"),
    path("events/<int:pk>/", views.m_event, name="event"),
]

FMT = r"\.(?P<fmt>json|xml)$"
root_urls = [
    re_path(rf"^open311/v2/services{FMT}", open311.service_list, name="open311-services"),
    re_path(rf"^open311/v2/services/(?P<code>[-\w]+){FMT}", open311.service_definition),
    re_path(rf"^open311/v2/requests{FMT}", open311.requests_view, name="open311-requests"),
    re_path(rf"^open311/v2/requests/(?P<pk>\d+){FMT}", open311.request_detail),
    re_path(rf"^open311/v2/tokens/(?P<token>[-\w]+){FMT}", open311.token_detail),
]
