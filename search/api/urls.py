from django.urls import path

from . import views

app_name = "search-api"

urlpatterns = [
    path("public/search/", views.PublicSearchApi.as_view(), name="public-search"),
]
