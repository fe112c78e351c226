from django.urls import path

from . import views

app_name = "legal_affairs"

urlpatterns = [
    path("meetings/", views.meetings, name="meetings"),
    path("advisers/", views.advisers, name="advisers"),
    path("advisers/<int:pk>/", views.adviser_detail, name="adviser"),
    path("public-lawyers/", views.public_lawyers, name="public-lawyers"),
]
