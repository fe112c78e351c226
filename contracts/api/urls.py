from django.urls import path

from . import views

app_name = "contracts-api"

urlpatterns = [
    path("contracts/", views.ContractListCreateApi.as_view(), name="contract-list"),
    path("contracts/<int:pk>/", views.ContractDetailApi.as_view(), name="contract-detail"),
    *(path(f"contracts/<int:pk>/{slug}/", view.as_view(), name=f"contract-{slug}")
      for slug, view in views.ACTIONS.items()),
    path("contract-milestones/<int:pk>/done/", views.MilestoneDoneApi.as_view(), name="milestone-done"),
]
