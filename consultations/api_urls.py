from django.urls import path

from . import api

app_name = "consultations-api"

urlpatterns = [
    path("public/consultations/", api.PublicConsultationListApi.as_view(), name="public-list"),
    path("public/consultations/<int:pk>/", api.PublicConsultationDetailApi.as_view(), name="public-detail"),
]
