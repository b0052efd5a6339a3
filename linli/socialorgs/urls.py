from django.urls import path

from linli.socialorgs import views

resident_urls = [
    path("", views.activities, name="activities"),
    path("activities/<int:pk>/join/", views.join, name="join"),
    path("signups/<int:pk>/leave/", views.leave, name="leave"),
    path("checkin/<str:code>/", views.checkin, name="checkin"),
]

console_urls = [
    path("", views.home, name="home"),
    path("orgs/", views.orgs, name="orgs"),
    path("activities/", views.org_activities, name="activities"),
    path("activities/<int:pk>/", views.activity, name="activity"),
    path("applications/", views.applications, name="applications"),
    path("purchases/", views.purchases, name="purchases"),
]
