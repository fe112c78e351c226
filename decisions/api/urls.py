from django.urls import path

from core.api.views import ArchivePackageApi

from . import views

app_name = "decisions-api"

urlpatterns = [
    path("decisions/", views.DecisionListCreateApi.as_view(), name="decision-list"),
    path("decisions/<int:pk>/", views.DecisionDetailApi.as_view(), name="decision-detail"),
    path("decisions/<int:pk>/archive-package/", ArchivePackageApi.as_view(kind="decision"), name="decision-archive-package"),
    *(
        path(f"decisions/<int:pk>/{slug}/", views.decision_action_api(slug, spec).as_view(),
             name="decision-" + slug.replace("/", "-"))
        for slug, spec in views.DECISION_ACTIONS.items()
    ),
    path("catalogs/<int:year>/items/", views.CatalogItemProposeApi.as_view(), name="catalog-items"),
    path("catalogs/<int:year>/compile/", views.CatalogCompileApi.as_view(), name="catalog-compile"),
    path("catalogs/<int:year>/party-consent/", views.CatalogPartyConsentApi.as_view(), name="catalog-party-consent"),
    path("catalogs/<int:year>/publish/", views.CatalogPublishApi.as_view(), name="catalog-publish"),
    path("catalogs/<int:year>/adjustments/", views.CatalogAdjustmentProposeApi.as_view(), name="catalog-adjustments"),
    path("catalog-adjustments/<int:pk>/decide/", views.CatalogAdjustmentDecideApi.as_view(),
         name="catalog-adjustment-decide"),
    path("public/catalogs/", views.PublicCatalogYearsApi.as_view(), name="public-catalog-years"),
    path("public/catalogs/<int:year>/", views.PublicCatalogApi.as_view(), name="public-catalog"),
    path("public/decisions/", views.PublicDecisionListApi.as_view(), name="public-decision-list"),
    path("public/decisions/<int:pk>/", views.PublicDecisionDetailApi.as_view(), name="public-decision-detail"),
]
