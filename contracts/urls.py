from django.urls import path

from . import views

app_name = "contracts"

urlpatterns = [
    path("", views.contract_list, name="list"),
    path("new/", views.contract_new, name="new"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/edit/", views.contract_edit, name="edit"),
    path("<int:pk>/attachments/", views.contract_upload, name="attachments"),
    path("<int:pk>/<slug:action>/", views.contract_action, name="action"),
    path("milestones/<int:pk>/done/", views.milestone_done, name="milestone-done"),
    path("register/<slug:code>/cleanup/", views.cleanup_record, name="cleanup"),
]
