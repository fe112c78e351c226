from django.urls import path

from . import supervision_views, views

app_name = "enforcement"

urlpatterns = [
    # cases (views.py)
    path("", views.case_list, name="list"),
    path("new/", views.case_register, name="create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/records/new/", views.record_add, name="record-add"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
    path("<int:pk>/do/<slug:action>/", views.case_action, name="action"),
    # supervision, statistics, guidance cases (supervision_views.py)
    path("supervision/", supervision_views.dashboard, name="supervision"),
    path("reports/", supervision_views.report, name="report"),
    path("guidance/", supervision_views.guidance_list, name="guidance-list"),
    path("guidance/<int:pk>/", supervision_views.guidance_detail, name="guidance-detail"),
]
