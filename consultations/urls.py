"""Consultations (公众参与), mounted at ``consultations/``: public pages by primary key, and
the drafting unit's management page under ``manage/``."""
from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("<int:pk>/", views.consultation_detail, name="detail"),
    path("<int:pk>/comment/", views.comment_submit, name="comment"),
    path("<int:pk>/track/", views.comment_track, name="track"),
    path("manage/<int:pk>/", views.consultation_manage, name="manage"),
    path("manage/<int:pk>/comments/<int:comment_pk>/moderate/", views.comment_moderate, name="comment-moderate"),
    path("manage/<int:pk>/comments/<int:comment_pk>/dispose/", views.comment_dispose, name="comment-dispose"),
    path("manage/<int:pk>/summary/", views.summary_publish, name="summary-publish"),
]
