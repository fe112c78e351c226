"""Atom feeds of the public portal, mounted at ``feeds/``."""
from django.urls import path

from search.feeds import SearchFeed

from . import feeds

app_name = "feeds"

urlpatterns = [
    path("catalog/", feeds.CatalogFeed(), name="catalog"),
    path("decisions/", feeds.DecisionFeed(), name="decisions"),
    path("library/", feeds.NormativeDocumentFeed(), name="library"),
    path("enforcement-notices/", feeds.EnforcementNoticeFeed(), name="enforcement-notices"),
    path("consultations/", feeds.ConsultationFeed(), name="consultations"),
    path("search/", SearchFeed(), name="search"),
]
