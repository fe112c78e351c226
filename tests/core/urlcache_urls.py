"""A URLconf for tests/core/test_urlcache.py: the decisions' list at another path, a row's page and a year's."""
from django.http import HttpResponse
from django.urls import include, path, re_path


def page(request, **kwargs):
    return HttpResponse()


urlpatterns = [
    path("elsewhere/", include(([path("", page, name="list"), path("<int:pk>/", page, name="detail")], "decisions"))),
    re_path(r"^year/(?P<year>[0-9]{4})/$", page, name="year"),
]
