from django.urls import path

from . import public_views

app_name = "public"

urlpatterns = [
    path("", public_views.home, name="home"),
    path("sitemap/", public_views.site_map, name="sitemap"),
    path("catalog/", public_views.catalog_index, name="catalog-index"),
    path("catalog/<int:year>/", public_views.catalog_year, name="catalog"),
    path("catalog/<int:year>/items/<int:pk>/", public_views.catalog_item, name="catalog-item"),
    path("catalog/<int:year>/<slug:body>/", public_views.catalog_body_year, name="catalog-body"),
    path("public/decisions/", public_views.decision_list, name="decision-list"),
    path("public/decisions/<int:pk>/", public_views.decision_detail, name="decision-detail"),
    path("public/decisions/execution/", public_views.execution_tracker, name="execution-tracker"),
]
