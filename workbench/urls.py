"""The staff pages across apps, mounted under /work/ (namespace ``workbench``)."""
from django.urls import path

from . import views

app_name = "workbench"

urlpatterns = [
    path("", views.my_work, name="my-work"),
    path("my-deadlines/", views.my_deadlines, name="my-deadlines"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("archive-packages/<slug:kind>/<int:pk>/", views.archive_package_download, name="archive-package"),
    path("responsibility/<int:user_id>/", views.responsibility, name="responsibility"),
    path("rules/", views.rules_matrix, name="rules-matrix"),
    path("rules/events/", views.rule_events, name="rule-events"),
    path("coverage/", views.coverage_page, name="coverage"),
]
