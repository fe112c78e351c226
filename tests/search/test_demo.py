"""After `make run` (load_demo_data) the search finds the demo's public items at once."""

import pytest
from django.urls import reverse

from search.models import Kind

pytestmark = pytest.mark.django_db


def test_the_demo_leaves_a_searchable_index(demo, client):
    response = client.get(reverse("search:index"), {"q": "湖州"})

    kinds = {entry.kind for entry in response.context["page"]}
    assert response.context["total"] > 0
    assert {Kind.DECISION, Kind.NORMATIVE} <= kinds
