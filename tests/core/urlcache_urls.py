"""A URLconf for tests/core/test_urlcache.py: the decisions' list at another path."""
from django.http import HttpResponse
from django.urls import include, path

urlpatterns = [path("elsewhere/", include(([path("", lambda request: HttpResponse(), name="list")], "decisions")))]
