from django.urls import path

from core.api.views import ArchivePackageApi

from . import views

app_name = "normative-api"

urlpatterns = [
    path("public/normative-documents/", views.PublicNormativeDocumentListApi.as_view(), name="public-document-list"),
    path("public/normative-documents/<int:pk>/", views.PublicNormativeDocumentDetailApi.as_view(),
         name="public-document-detail"),
    path("normative-documents/", views.NormativeDocumentListCreateApi.as_view(), name="document-list"),
    path("normative-documents/historical/", views.NormativeHistoricalRegisterApi.as_view(), name="document-historical"),
    path("normative-documents/<int:pk>/", views.NormativeDocumentDetailApi.as_view(), name="document-detail"),
    path("normative-documents/<int:pk>/archive-package/", ArchivePackageApi.as_view(kind="normative_document"),
         name="document-archive-package"),
    *(
        path(f"normative-documents/<int:pk>/{slug}/", views.normative_action_api("Normative", slug, spec).as_view(),
             name=f"document-{slug}")
        for slug, spec in views.DOCUMENT_ACTIONS.items()
    ),
    path("normative-filings/<int:pk>/", views.NormativeFilingDetailApi.as_view(), name="filing-detail"),
    *(
        path(f"normative-filings/<int:pk>/{slug}/", views.normative_action_api("NormativeFiling", slug, spec).as_view(),
             name=f"filing-{slug}")
        for slug, spec in views.FILING_ACTIONS.items()
    ),
]
