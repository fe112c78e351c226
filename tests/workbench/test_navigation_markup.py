"""The side navigation written in Python is the markup the template loop wrote, escaping included."""
import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import resolve
from django.utils import translation

from tests import factories
from workbench import navigation

pytestmark = pytest.mark.django_db

#: base.html's loop before the markup moved to workbench.navigation.side_nav_html
TEMPLATE_LOOP = """{% load i18n %}{% if side_nav %}<nav class="sidenav" id="sidenav" aria-label="{% translate '工作导航' %}">
{% for group in side_nav %}<div class="sidenav-section"><p class="sidenav-group" id="sidenav-{{ forloop.counter }}">{{ group.title }}</p>
<ul aria-labelledby="sidenav-{{ forloop.counter }}">{% for item in group.items %}<li><a href="{{ item.url }}"{% if item.current %} aria-current="page"{% endif %}>{{ item.label }}</a></li>{% endfor %}</ul></div>
{% endfor %}</nav>{% endif %}"""


def groups_for(user, path):
    request = RequestFactory().get(path)
    request.user, request.resolver_match = user, resolve(path)
    return navigation.side_nav(request)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("path", ["/work/", "/decisions/", "/normative/"])
def test_the_python_side_navigation_is_the_template_loops(language, path):
    with translation.override(language):
        for user in (factories.staff("hz-drc"), factories.office(), factories.supervisor()):
            groups = groups_for(user, path)
            expected = engines["django"].from_string(TEMPLATE_LOOP).render({"side_nav": groups})
            assert navigation.side_nav_html(groups) == expected
            assert navigation.side_nav_html(groups).count('aria-current="page"') == 1


def test_labels_and_urls_are_escaped():
    groups = [{"title": "<b>组</b>", "items": [{"label": 'a "q" & <i>', "url": "/x/?a=1&b=2", "current": False}]}]
    html = navigation.side_nav_html(groups)
    assert html == engines["django"].from_string(TEMPLATE_LOOP).render({"side_nav": groups})
    assert "&lt;b&gt;组&lt;/b&gt;" in html and 'href="/x/?a=1&amp;b=2"' in html


def test_no_groups_no_navigation():
    assert navigation.side_nav_html([]) == ""
