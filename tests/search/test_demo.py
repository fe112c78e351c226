"""After `make run` (load_demo_data) the search finds the demo's public items at once."""
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from search.models import Kind

pytestmark = pytest.mark.django_db


def test_the_demo_leaves_a_searchable_index(client):
    with time_machine.travel("2026-11-27 10:00 +0800", tick=False):
        call_command("load_demo_data", stdout=StringIO())
        response = client.get(reverse("search:index"), {"q": "湖州"})

    kinds = {entry.kind for entry in response.context["page"]}
    assert response.context["total"] > 0
    assert {Kind.DECISION, Kind.NORMATIVE} <= kinds
