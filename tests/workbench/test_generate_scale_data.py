"""manage.py generate_scale_data: the real tables filled by bulk SQL, consistent with every constraint
(the database checks them), every state present, about half of the decisions public, and the same
data again for the same seed."""
from io import StringIO

import pytest
from django.core.management import call_command

from deadlines.models import LegalClock, Reminder
from decisions.models import CatalogItem, Decision
from decisions.workflow import PUBLISHED_STATES
from enforcement.models import Case, PublicNotice
from normative_docs.models import NormativeDocument
from search.models import SearchEntry

pytestmark = pytest.mark.django_db


def test_the_tables_are_filled_consistently_in_every_state():
    call_command("generate_scale_data", decisions=600, documents=200, cases=600, seed=3, index=True, stdout=StringIO())

    assert Decision.objects.count() == 600 and NormativeDocument.objects.count() == 200
    assert Case.objects.count() == 600 and CatalogItem.objects.count() == 180
    public = Decision.objects.public().count()
    assert 0.35 * 600 < public < 0.65 * 600
    assert set(Decision.objects.values_list("status", flat=True)) >= set(PUBLISHED_STATES)
    assert Decision.objects.filter(disclosure="withheld", status__in=PUBLISHED_STATES).exists()
    assert len(set(Decision.objects.values_list("title", flat=True)[:200])) > 100  # varied titles
    assert 0 < PublicNotice.objects.count() < 600 and LegalClock.objects.count() == Reminder.objects.count() > 0
    assert SearchEntry.objects.filter(kind="decision").count() == public


def test_the_same_seed_gives_the_same_titles():
    call_command("generate_scale_data", decisions=50, documents=10, cases=10, seed=7, stdout=StringIO())
    first = list(Decision.objects.order_by("id").values_list("title", flat=True))
    Decision.objects.all().delete()
    call_command("generate_scale_data", decisions=50, documents=10, cases=10, seed=7, stdout=StringIO())
    assert list(Decision.objects.order_by("id").values_list("title", flat=True)) == first
