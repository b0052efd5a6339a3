from django.urls import path

from linli.org import roster_views, views

console_urls = [
    path("units/", views.units, name="units"),
    path("units/<slug:code>/", views.unit_detail, name="unit"),
    path("estates/", views.estates, name="estates"),
    path("estates/<slug:code>/", views.estate_detail, name="estate"),
    path("buildings/<slug:code>/", views.building_detail, name="building"),
    path("households/<int:pk>/", views.household_detail, name="household"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/move/", views.person_move, name="person-move"),
    path("people/<int:pk>/reveal/<str:field>/", views.person_reveal, name="person-reveal"),
    path("roster/", roster_views.roster_home, name="roster"),
    path("roster/template.xlsx", roster_views.template, name="roster-template"),
    path("roster/<int:pk>/", roster_views.job_detail, name="roster-job"),
    path("roster/<int:pk>/commit/", roster_views.job_commit, name="roster-commit"),
]

resident_urls = [
    path("household/", views.my_household, name="household"),
]
