from django.urls import path

from . import views

app_name = "core-api"

urlpatterns = [
    path("auth/token/", views.AuthTokenApi.as_view(), name="token"),
    path("auth/token/revoke/", views.AuthTokenRevokeApi.as_view(), name="token-revoke"),
]
