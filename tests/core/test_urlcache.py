"""URLs without arguments, and the text around a row's number, are learned once per URLconf, script prefix and
language; ``{% url %}`` reads them."""
import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import (
    NoReverseMatch,
    clear_script_prefix,
    resolve,
    reverse,
    set_script_prefix,
)

from core.urlcache import StaticURLNode, reverse_static, reverse_with_id


def render(source: str, request=None, **context) -> str:
    return engines["django"].from_string(source).render(context, request)


def test_the_url_tag_of_every_template_is_the_caching_one():
    template = engines["django"].from_string("{% url 'public:home' %}").template
    assert isinstance(template.nodelist[0], StaticURLNode)


def test_the_url_tag_writes_what_reverse_writes_with_and_without_arguments():
    assert render("{% url 'public:home' %}|{% url 'decisions:list' %}") == f"{reverse('public:home')}|/decisions/"
    assert render("{% url 'decisions:detail' 7 %}") == reverse("decisions:detail", args=[7])
    assert render("{% url name %}", name="library:list") == reverse("library:list")
    assert render("{% url 'decisions:list' as link %}[{{ link }}]") == "[/decisions/]"


def test_a_request_names_the_current_app_as_for_django():
    request = RequestFactory().get("/decisions/")
    request.resolver_match = resolve("/decisions/")
    assert render("{% url 'decisions:list' %}", request) == "/decisions/"


def test_another_script_prefix_gets_its_own_urls():
    assert reverse_static("decisions:list") == "/decisions/"
    set_script_prefix("/portal/")
    try:
        assert reverse_static("decisions:list") == "/portal/decisions/"
        assert render("{% url 'decisions:list' %}") == "/portal/decisions/"
    finally:
        clear_script_prefix()
    assert reverse_static("decisions:list") == "/decisions/"


def test_another_urlconf_gets_its_own_urls(settings):
    assert reverse_static("decisions:list") == "/decisions/"
    settings.ROOT_URLCONF = "tests.core.urlcache_urls"
    assert reverse_static("decisions:list") == "/elsewhere/"


def test_a_rows_url_is_what_reverse_writes_for_any_number():
    for pk in (0, 1, 7, 42, 1234, 10**12):
        assert render("{% url 'decisions:detail' pk %}", pk=pk) == reverse("decisions:detail", args=[pk])
        assert reverse_with_id("decisions:detail", pk) == reverse("decisions:detail", args=[pk])


def test_a_string_argument_and_a_year_write_what_reverse_writes():
    assert render("{% url 'decisions:detail' pk %}", pk="12") == reverse("decisions:detail", args=["12"])
    assert render("{% url 'decisions:catalog-manage-year' 2026 %}") == reverse("decisions:catalog-manage-year",
                                                                                args=[2026])


def test_a_url_that_writes_its_number_otherwise_is_reversed_each_time(settings):
    settings.ROOT_URLCONF = "tests.core.urlcache_urls"
    assert reverse_with_id("year", 2026) == "/year/2026/"
    with pytest.raises(NoReverseMatch):
        reverse_with_id("year", 12)
    assert reverse_with_id("decisions:detail", 5) == "/elsewhere/5/"


def test_a_negative_number_is_reversed_by_django():
    with pytest.raises(NoReverseMatch):
        reverse_with_id("decisions:detail", -1)
