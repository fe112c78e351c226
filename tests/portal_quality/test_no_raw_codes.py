"""Every page a person can reach by clicking, as the public and as each demo role, read in Chinese
once per module (over the shared demo data, loaded once and rolled back: tests/conftest.py):

* no raw codes: no stored choice value (``under_review``, ``medium``), no checklist answer code
  (``yes``), no field name (``planned_completion``), no rule code (``R17``, ``D19-early``) and no state
  change written as codes (``pending → approved``) in the visible text. The rules matrix (/work/rules/)
  is the one page whose subject is the rule codes themselves (the rulebook with its tests, for
  supervisors) and is not read; commands shown as ``<code>`` are not prose;
* breadcrumbs on every page but the home page and the printable views (``?print=1``);
* no link a person is shown answers them 403 or 404 (a link appears only where its page opens for them);
* in English, no Chinese left in headings, table headers, labels, buttons and the navigation, once the
  stored names, titles and document numbers are set aside.

The pages crawled per role are printed (``pytest -s``) and must not fall below a floor, so a crawl that
stopped following links fails instead of passing on nothing."""
import pytest
from django.db import transaction
from django.test import Client, override_settings

from core.models import User
from reviews.checklist import ANSWER_CHOICES
from tests.portal_quality.crawl import (
    choice_values,
    crawl,
    raw_codes,
    stored_values,
    untranslated,
)

#: Marked so that pytest-django sets up the test database even when this module runs alone (it sets up
#: only the databases some test asks for; the crawl's fixture alone would read the development database).
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

pytestmark = pytest.mark.django_db  # the test database is set up even when this module runs alone


@pytest.fixture(scope="module")
def crawls(demo_database, django_db_blocker):
    """Each role's crawl over the shared demo data; what the crawl wrote (sessions…) is rolled back."""
    results = {}
    with override_settings(PRIVATE_MEDIA_ROOT=demo_database.media), django_db_blocker.unblock(), \
            transaction.atomic():
        for role, (start, _floor) in ROLES.items():
            client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
            if role != "public":
                client.force_login(User.objects.get(username=role))
            results[role] = crawl(client, start)
            client.cookies["django_language"] = "en"
            results[f"{role}:en"] = crawl(client, start)
        results["stored values"] = stored_values()
        transaction.set_rollback(True)
    print("pages crawled per role:", {role: len(result.pages) for role, result in results.items()
                                      if role != "stored values"})
    return results


@pytest.mark.parametrize("role", list(ROLES))
def test_the_crawl_reaches_the_pages_of_each_role(crawls, role):
    assert len(crawls[role].pages) >= ROLES[role][1]


@pytest.mark.parametrize("role", list(ROLES))
def test_no_page_shows_a_raw_code(crawls, role, django_db_blocker):
    with django_db_blocker.unblock():
        codes = choice_values()
    codes.update({value: "reviews.checklist answer" for value, _label in ANSWER_CHOICES})
    found: dict[str, str] = {}
    for page in crawls[role].pages:
        if page.url.startswith(NOT_READ):
            continue
        for code in raw_codes(page.text, codes):
            found.setdefault(code, page.url)
    assert not found, "\n".join(f"{code!r} ({codes.get(code, 'code')}) on {url}" for code, url in found.items())


@pytest.mark.parametrize("role", list(ROLES))
def test_no_link_shown_leads_to_a_refusal(crawls, role):
    refused = crawls[role].refused_links()
    assert not refused, "\n".join(f"{status} {url} linked from {page}" for status, url, page in refused[:30])


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_but_the_home_page_has_breadcrumbs(crawls, role):
    missing = [page.url for page in crawls[role].pages
               if page.url != "/" and "print=1" not in page.url and 'class="breadcrumbs"' not in page.html]
    assert not missing, missing[:20]


@pytest.mark.parametrize("role", list(ROLES))
def test_english_pages_have_no_chinese_in_their_headings_labels_buttons_and_navigation(crawls, role):
    """Names, titles and document numbers stay as stored (they are data); everything else is English."""
    names = crawls["stored values"]
    found: dict[str, str] = {}
    for page in crawls[f"{role}:en"].pages:
        for text in untranslated(page.html, names):
            found.setdefault(text[:80], page.url)
    assert not found, "\n".join(f"{text!r} on {url}" for text, url in list(found.items())[:30])
