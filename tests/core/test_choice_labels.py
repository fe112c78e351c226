"""get_<field>_display() from the choices kept once per process: Django's labels, in the active language."""
import pytest
from django.db import models
from django.utils import translation

from decisions.models import Decision
from decisions.workflow import DecisionStatus
from enforcement.models import Case


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("model, field", [(Decision, "status"), (Decision, "disclosure"), (Case, "status"),
                                          (Case, "key_area")])
def test_every_label_is_djangos_in_each_language(model, field, language):
    django_field = model._meta.get_field(field)
    with translation.override(language):
        for value, _label in django_field.flatchoices:
            row = model(**{field: value})
            assert getattr(row, f"get_{field}_display")() == models.Model._get_FIELD_display(row, django_field)


def test_the_label_follows_the_language_and_an_unknown_value_shows_itself():
    decision = Decision(status=DecisionStatus.DRAFTING)
    with translation.override("zh-hans"):
        assert decision.get_status_display() == "起草中"
    with translation.override("en"):
        assert decision.get_status_display() == "Drafting"
    assert Decision(status="no-such-state").get_status_display() == "no-such-state"
