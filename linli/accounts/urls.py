from django.contrib.auth import views as auth_views
from django.urls import path

from linli.accounts import views

public_urls = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]

console_urls = [
    path("users/", views.users, name="users"),
    path("users/<int:pk>/", views.user_detail, name="user"),
    path("grants/<int:pk>/revoke/", views.grant_revoke, name="grant-revoke"),
]
