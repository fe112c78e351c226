"""The public home page."""
import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from decisions.models import Catalog
from decisions.workflow import DecisionStatus, Disclosure
from tests import factories
from tests.factories import CatalogFactory


@pytest.fixture(autouse=True)
def _calendar():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield



# ================================================================== public home
def test_public_home_lists_published_catalogs_and_decisions(client, db):
    CatalogFactory(year=2026, status=Catalog.Status.PUBLISHED, party_consent_on=dt.date(2026, 3, 10),
                   published_at=timezone.make_aware(dt.datetime(2026, 3, 20, 9, 0)))
    CatalogFactory(year=2027)
    public = factories.decision_in_state(DecisionStatus.EXECUTING)
    factories.decision_in_state(DecisionStatus.EXECUTING, disclosure=Disclosure.WITHHELD,
                                withheld_reason="涉及国家秘密，依法不予公开。")

    response = client.get(reverse("public:home"))

    assert response.status_code == 200
    assert response.context["years"] == [2026]
    assert response.context["latest"] == [public]
    assert f'{reverse("public:catalog-index")}?year=2026' in response.content.decode()


@pytest.mark.django_db
def test_pages_name_their_icon_so_the_browser_does_not_ask_for_a_missing_favicon(client):
    # without it every first visit logs "404 /favicon.ico" in the browser console
    from django.contrib.staticfiles import finders
    for response in (client.get("/"), client.get("/no-such-page/")):
        html = response.content.decode()
        assert 'rel="icon" href="/static/img/favicon.svg"' in html
    assert finders.find("img/favicon.svg")
