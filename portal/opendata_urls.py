"""Open data downloads (开放数据), mounted at ``open-data/``."""
from django.urls import path

from . import opendata_views

app_name = "opendata"

urlpatterns = [
    path("", opendata_views.index, name="index"),
    path("catalog/<int:year>/", opendata_views.catalog, name="catalog"),
    path("catalog/<int:year>/<slug:body>/", opendata_views.catalog_body, name="catalog-body"),
    path("catalogs/<int:year>/", opendata_views.catalogs, name="catalogs"),
    path("normative-documents/", opendata_views.normative_documents, name="normative-documents"),
    path("enforcement-notices/", opendata_views.enforcement_notices, name="enforcement-notices"),
]
