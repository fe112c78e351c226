"""Clear next steps beyond decisions: a normative document, an enforcement case and a filing show one
primary step for their state, the others secondary, each with a line saying what it does; the step's
own page repeats that line."""
import re

import pytest
import time_machine
from django.urls import reverse

from deadlines.selectors import open_clocks_of
from enforcement.permissions import available_actions as case_actions
from enforcement.services import legal_review_grounds
from enforcement.workflow import CaseStatus
from normative_docs import filing as filing_services
from normative_docs.filing_views import available_filing_actions
from normative_docs.permissions import available_actions as document_actions
from normative_docs.workflow import DocumentStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_may():
    """A working day well inside a year the calendar knows (the deadlines count working days)."""
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


def assert_one_primary_with_hints(actions):
    assert actions
    assert sum(a["primary"] for a in actions) == 1, [a["name"] for a in actions]
    assert all(a["hint"] for a in actions), [a["name"] for a in actions if not a["hint"]]
    assert not any(a["primary"] and a["danger"] for a in actions)


@pytest.mark.parametrize("state", [DocumentStatus.PROPOSED, DocumentStatus.DRAFTING, DocumentStatus.CONSULTING,
                                   DocumentStatus.LEGALITY_FAILED, DocumentStatus.READY_FOR_DELIBERATION,
                                   DocumentStatus.DELIBERATED, DocumentStatus.REGISTERED, DocumentStatus.PUBLISHED])
def test_every_document_state_has_exactly_one_primary_step_and_every_step_says_what_it_does(state):
    staff_user = factories.staff()
    head_user = factories.normative_head()
    document = factories.normative_document_in_state(state, staff_user=staff_user, head_user=head_user)
    user = head_user if state in (DocumentStatus.READY_FOR_DELIBERATION, DocumentStatus.DELIBERATED,
                                  DocumentStatus.REGISTERED, DocumentStatus.PUBLISHED) else staff_user
    assert_one_primary_with_hints(document_actions(user, document))


def test_a_published_document_leads_to_filing_and_keeps_repeal_secondary(client):
    head_user = factories.normative_head()
    document = factories.normative_document_in_state(DocumentStatus.PUBLISHED, head_user=head_user)
    client.force_login(head_user)
    html = client.get(reverse("normative_docs:detail", args=[document.pk])).content.decode()
    primary = re.search(r'<li class="primary" data-testid="primary-action">(.*?)</li>', html, re.S)
    assert primary and "报送备案" in primary.group(1) and "乡镇、街道15日内" in primary.group(1)
    assert re.search(r'class="button secondary danger"[^>]*>废止', html)
    assert "废止后不能恢复" in html


@pytest.mark.parametrize("state", [CaseStatus.CLUE, CaseStatus.INVESTIGATING, CaseStatus.NOTIFIED,
                                   CaseStatus.DECIDED, CaseStatus.SERVED, CaseStatus.CLOSED])
def test_every_case_state_has_exactly_one_primary_step_and_every_step_says_what_it_does(state):
    head_user = factories.enforcement_officer(head=True)
    case = factories.case_in_state(state, head_user=head_user)
    assert_one_primary_with_hints(case_actions(head_user, case))


def test_a_case_needing_legal_review_leads_to_the_review_and_one_without_to_the_decision():
    head_user = factories.enforcement_officer(head=True)
    big = factories.case_in_state(CaseStatus.NOTIFIED, head_user=head_user, fine="50000")
    small = factories.case_in_state(CaseStatus.NOTIFIED, head_user=head_user, fine="500", seed=2)
    assert legal_review_grounds(big) and not legal_review_grounds(small)

    def primary(case):
        return next(a["name"] for a in case_actions(head_user, case) if a["primary"])
    assert (primary(big), primary(small)) == ("submit-review", "decide")


def test_a_case_waiting_for_its_legal_review_offers_no_primary_step():
    head_user = factories.enforcement_officer(head=True)
    case = factories.case_in_state(CaseStatus.LEGAL_REVIEW, head_user=head_user)
    actions = case_actions(head_user, case, clocks=list(open_clocks_of(case)))
    assert [a["name"] for a in actions] == ["pause"] and not actions[0]["primary"]  # pausing is no next step
    assert actions[0]["hint"]


def test_the_case_page_and_the_step_page_explain_the_step(client):
    head_user = factories.enforcement_officer(head=True)
    case = factories.case_in_state(CaseStatus.DECIDED, head_user=head_user)
    client.force_login(head_user)
    html = client.get(reverse("enforcement:detail", args=[case.pk])).content.decode()
    primary = re.search(r'<li class="primary" data-testid="primary-action">(.*?)</li>', html, re.S)
    assert primary and "登记送达" in primary.group(1) and "7个工作日内送达" in primary.group(1)
    step = client.get(reverse("enforcement:action", args=[case.pk, "serve"])).content.decode()
    assert 'data-testid="step-hint"' in step and "7个工作日内送达" in step


def test_a_filing_shows_its_one_step_with_what_it_does(client):
    head_user = factories.normative_head()
    document = factories.normative_document_in_state(DocumentStatus.PUBLISHED, head_user=head_user)
    filing = filing_services.filing_submit(actor=head_user, document_id=document.pk, report="报送备案报告。",
                                           files=[factories.pdf_file()], late_reason="")
    handler = factories.filing_reviewer(filing.filing_body.code)
    actions = available_filing_actions(handler, filing)
    assert_one_primary_with_hints(actions)
    assert actions[0]["url"] == reverse("normative_docs:filing-action", args=[filing.pk, "check"])
    client.force_login(handler)
    html = client.get(reverse("normative_docs:filing-detail", args=[filing.pk])).content.decode()
    assert "3个工作日内进行形式审查" in html


def test_the_document_submit_page_sums_up_the_materials_to_be_sent(client):
    staff_user = factories.staff()
    document = factories.normative_document_in_state(DocumentStatus.CONSULTING, staff_user=staff_user)
    client.force_login(staff_user)
    html = client.get(reverse("normative_docs:action", args=[document.pk, "submit-for-review"])).content.decode()
    summary = re.search(r'data-testid="submission-summary">(.*?)</section>', html, re.S).group(1)
    assert "文件草案" in summary and "起草说明" in summary and "调研" in summary
    assert "尚未记录" in summary and "否则不能送请合法性审核" in summary  # nothing recorded yet in this round
