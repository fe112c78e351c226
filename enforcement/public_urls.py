"""The public enforcement pages (执法公示), mounted at ``public/enforcement/``."""
from django.urls import path

from . import public_views

app_name = "enforcement_public"

urlpatterns = [
    path("bodies/", public_views.body_list, name="bodies"),
    path("bodies/<int:pk>/", public_views.body_detail, name="body-detail"),
    path("notices/", public_views.notice_list, name="notices"),
    path("notices/<int:pk>/", public_views.notice_detail, name="notice-detail"),
]
