import datetime as dt

import pytest
import time_machine
from django.core.cache import cache

from consultations.models import Consultation
from decisions import services as decision_services
from decisions.workflow import DecisionStatus
from normative_docs import services as normative_services
from normative_docs.workflow import DocumentStatus
from tests import factories

OPENS, CLOSES = dt.date(2026, 5, 11), dt.date(2026, 6, 10)
AFTER_CLOSING = "2026-06-11 00:00 +0800"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def open_decision_consultation(staff_user=None, **kwargs) -> Consultation:
    decision = factories.decision_in_state(DecisionStatus.CONSULTING, staff_user=staff_user, **kwargs)
    decision_services.decision_open_public_comment(actor=decision.created_by, decision_id=decision.pk,
                                                   opened_on=OPENS, closes_on=CLOSES, channel="湖州市人民政府网站“意见征集”栏目")
    return Consultation.objects.get(object_id=decision.pk, content_type__model="decision")


def open_document_consultation(staff_user=None, **kwargs) -> Consultation:
    document = factories.normative_document_in_state(DocumentStatus.CONSULTING, staff_user=staff_user, **kwargs)
    normative_services.document_open_public_comment(actor=document.created_by, document_id=document.pk,
                                                    opened_on=OPENS, closes_on=CLOSES, channel="电子邮件：fzb@huzhou.gov.cn")
    return Consultation.objects.get(object_id=document.pk, content_type__model="normativedocument")


@pytest.fixture
def consultation(staff_user) -> Consultation:
    return open_decision_consultation(staff_user)


@pytest.fixture
def document_consultation(staff_user) -> Consultation:
    return open_document_consultation(staff_user)
