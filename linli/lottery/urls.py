from django.urls import path

from linli.lottery import views

public_urls = [
    path("<slug:code>/", views.public_draw, name="draw"),
    path("<slug:code>/verify.json", views.public_verify_json, name="verify-json"),
]
