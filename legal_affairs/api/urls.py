from django.urls import path

from . import views

app_name = "legal-affairs-api"

urlpatterns = [
    path("legal-advisers/", views.LegalAdviserListCreateApi.as_view(), name="adviser-list"),
    path("legal-advisers/<int:pk>/", views.LegalAdviserDetailApi.as_view(), name="adviser-detail"),
    path("legal-advisers/<int:pk>/opinions/", views.LegalAdviserOpinionApi.as_view(), name="adviser-opinions"),
    path("legal-advisers/<int:pk>/evaluations/", views.LegalAdviserEvaluationApi.as_view(),
         name="adviser-evaluations"),
    path("public-lawyers/", views.PublicLawyerListCreateApi.as_view(), name="public-lawyer-list"),
]
