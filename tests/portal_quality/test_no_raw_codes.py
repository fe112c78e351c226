"""No raw codes on any page a person can reach by clicking: as the public and as each demo role, every
page linked from the start page (and from the pages it links to) is read, in Chinese, and its visible
text holds no stored choice value (``under_review``, ``medium``), no checklist answer code (``yes``), no
field name (``planned_completion``), no rule code (``R17``, ``D19-early``) and no state change written
as codes (``pending → approved``).

The rules matrix (/work/rules/) is the one page whose subject is the rule codes themselves (the
rulebook with its tests, for supervisors) and is not read; commands shown as ``<code>`` are not prose.
The pages crawled per role are printed (``pytest -s``) and must not fall below a floor, so a crawl that
stopped following links fails instead of passing on nothing."""
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from core.models import User
from reviews.checklist import ANSWER_CHOICES
from tests.portal_quality.crawl import choice_values, crawl, raw_codes

pytestmark = pytest.mark.django_db

#: who crawls, where they start, and the fewest pages their crawl must reach
ROLES = {
    "public": ("/", 50),
    "demo_staff": ("/work/", 120),
    "demo_reviewer": ("/work/", 90),
    "demo_office": ("/work/", 150),
    "demo_supervisor": ("/work/", 150),
    "demo_officer": ("/work/", 70),  # an enforcement officer
}
NOT_READ = ("/work/rules/",)


@pytest.fixture
def demo():
    call_command("load_demo_data", stdout=StringIO())


def test_no_page_shows_a_raw_code_to_the_public_or_any_demo_role(demo):
    codes = choice_values()
    codes.update({value: "reviews.checklist answer" for value, _label in ANSWER_CHOICES})
    found: dict[str, dict[str, str]] = {}
    counts = {}
    for role, (start, floor) in ROLES.items():
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        if role != "public":
            client.force_login(User.objects.get(username=role))
        result = crawl(client, start)
        counts[role] = len(result.pages)
        assert counts[role] >= floor, f"{role}: the crawl reached only {counts[role]} pages"
        for page in result.pages:
            if page.url.startswith(NOT_READ):
                continue
            for code in raw_codes(page.text, codes):
                found.setdefault(role, {}).setdefault(code, page.url)
    print("pages crawled per role:", counts)
    assert not found, "\n".join(f"{role}: {code!r} ({codes.get(code, 'code')}) on {url}"
                                for role, where in found.items() for code, url in where.items())
