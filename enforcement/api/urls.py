from django.urls import path

from core.api.views import ArchivePackageApi

from . import views

app_name = "enforcement-api"

urlpatterns = [
    path("enforcement-cases/", views.CaseListCreateApi.as_view(), name="case-list"),
    path("enforcement-cases/<int:pk>/", views.CaseDetailApi.as_view(), name="case-detail"),
    path("enforcement-cases/<int:pk>/archive-package/", ArchivePackageApi.as_view(kind="enforcement_case"),
         name="case-archive-package"),
    *(
        path(f"enforcement-cases/<int:pk>/{slug}/", views.case_action_api(slug, spec).as_view(), name=f"case-{slug}")
        for slug, spec in views.CASE_ACTIONS.items()
    ),
    path("public/enforcement-notices/", views.PublicEnforcementNoticeListApi.as_view(), name="public-notice-list"),
]
