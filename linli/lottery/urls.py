from django.urls import path

from linli.lottery import views

root_urls = [path("lottery/<slug:code>/", views.public, name="lottery-public")]
