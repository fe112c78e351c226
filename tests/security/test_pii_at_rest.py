"""Party ID numbers encrypted at rest with a keyed blind index (issue 13, point 2): the report found
them "stored in clear"."""
from __future__ import annotations

import base64
import os
from io import StringIO

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from core import pii_crypto
from core.models import AuditEvent
from enforcement import services as es
from enforcement.models import Case
from enforcement.workflow import CaseStatus as C
from tests import factories

pytestmark = pytest.mark.django_db


def _stored(case_id: int) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT party_id_number, party_key FROM enforcement_case WHERE id = %s", [case_id])
        return cursor.fetchone()


def test_the_id_number_is_stored_encrypted_and_read_in_clear():
    case = factories.case_in_state(C.CLUE, seed=5)
    number = factories.valid_resident_id(5)
    stored, key = _stored(case.pk)
    assert stored.startswith("v1:t1:") and number not in stored
    assert len(key) == 64 and number not in key
    assert Case.objects.get(pk=case.pk).party_id_number == number


def test_two_encryptions_of_one_number_differ_but_share_the_blind_index():
    first = factories.case_in_state(C.CLUE, seed=6)
    second = factories.case_in_state(C.CLUE, seed=6)
    assert _stored(first.pk)[0] != _stored(second.pk)[0]
    assert _stored(first.pk)[1] == _stored(second.pk)[1]


def test_the_encrypted_column_cannot_be_searched():
    with pytest.raises(FieldError):
        list(Case.objects.filter(party_id_number=factories.valid_resident_id(5)))


def test_the_blind_index_depends_on_its_key(settings):
    number = factories.valid_resident_id(7)
    before = pii_crypto.blind_index(number)
    settings.HUZHOU_PII_INDEX_KEY = base64.b64encode(os.urandom(32)).decode()
    assert pii_crypto.blind_index(number) != before
    assert pii_crypto.blind_index(number.lower()) == pii_crypto.blind_index(f" {number} ")


def test_the_first_violation_check_finds_the_same_party_at_another_body():
    officer = factories.enforcement_officer("hz-amr")
    other_body_officer = factories.enforcement_officer("hz-nrp", head=True)
    earlier = factories.case_in_state(C.INVESTIGATING, officer=factories.enforcement_officer("hz-nrp"),
                                      head_user=other_body_officer, seed=8)
    case = factories.case_in_state(C.INVESTIGATING, officer=officer, seed=8)
    _months, others = es.earlier_violations(case)
    assert [c.pk for c in others] == [earlier.pk]
    stranger = factories.case_in_state(C.INVESTIGATING, officer=officer, seed=9)
    assert es.earlier_violations(stranger)[1] == []


def test_staff_see_the_masked_form_and_the_reveal_decrypts_and_is_audited(client):
    head = factories.enforcement_officer(head=True)
    case = factories.case_in_state(C.INVESTIGATING, head_user=head, seed=10)
    number = factories.valid_resident_id(10)
    client.force_login(head)
    page = client.get(f"/enforcement/{case.pk}/").content.decode()
    assert number[:6] + "********" + number[-4:] in page and number not in page
    values = es.reveal_personal_data(actor=head, case_id=case.pk, reason="送达决定书需核对身份。")
    assert values["party_id_number"] == number
    assert AuditEvent.objects.filter(action="reveal_personal_data", actor_id=head.pk).exists()


def test_rotation_re_encrypts_under_the_new_key_and_the_old_key_can_then_go(settings):
    case = factories.case_in_state(C.CLUE, seed=11)
    number = factories.valid_resident_id(11)
    key_before = _stored(case.pk)[1]
    new = base64.b64encode(os.urandom(32)).decode()
    settings.HUZHOU_PII_KEYS = f"t2:{new},{settings.HUZHOU_PII_KEYS}"
    assert Case.objects.get(pk=case.pk).party_id_number == number  # the old key still decrypts
    out = StringIO()
    call_command("rotate_pii_key", stdout=out)
    assert "enforcement.Case" in out.getvalue()
    assert _stored(case.pk)[0].startswith("v1:t2:")
    assert _stored(case.pk)[1] == key_before
    settings.HUZHOU_PII_KEYS = f"t2:{new}"
    assert Case.objects.get(pk=case.pk).party_id_number == number


def test_without_a_key_outside_debug_nothing_is_encrypted(settings):
    settings.DEBUG = False
    settings.HUZHOU_PII_KEYS = ""
    with pytest.raises(ImproperlyConfigured):
        pii_crypto.encrypt("330502199009097898")


def test_generate_pii_key_prints_usable_keys(settings):
    out = StringIO()
    call_command("generate_pii_key", "--key-id", "k1", stdout=out)
    lines = dict(line.split("=", 1) for line in out.getvalue().split())
    settings.HUZHOU_PII_KEYS = lines["HUZHOU_PII_KEYS"]
    settings.HUZHOU_PII_INDEX_KEY = lines["HUZHOU_PII_INDEX_KEY"]
    assert pii_crypto.decrypt(pii_crypto.encrypt("X")) == "X"
    assert pii_crypto.key_id_of(pii_crypto.encrypt("X")) == "k1"
