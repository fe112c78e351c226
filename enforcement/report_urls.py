"""Public pages of enforcement statistics and guidance cases, mounted at ``public/enforcement-reports/``."""
from django.urls import path

from . import report_public_views as views

app_name = "enforcement_reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("<int:year>/", views.report_detail, name="detail"),
    path("guidance/", views.guidance_index, name="guidance-list"),
    path("guidance/<int:pk>/", views.guidance_public_detail, name="guidance-detail"),
]
