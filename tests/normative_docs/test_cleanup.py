"""The 2-yearly clean-up: start, results, publication (refused with gaps; repeals and expiries
applied; the next R15 clock), permissions and the pages."""
import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.exceptions import Conflict, DomainError, InvalidState, TransitionBlocked
from core.models import AuditEvent
from deadlines.models import LegalClock
from normative_docs import cleanup
from normative_docs.models import CleanupEntry, CleanupRound, NormativeDocument
from normative_docs.workflow import DocumentStatus as N
from tests import factories

pytestmark = pytest.mark.django_db
FEW, MANY = 2, 10


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


@pytest.fixture
def head(db):
    return factories.normative_head("hz-drc")


def published(head, n: int, *, code: str = "hz-drc") -> list[NormativeDocument]:
    staff, reviewer = factories.staff(code), factories.reviewer()
    head = head if code == "hz-drc" else factories.normative_head(code)
    return [factories.normative_document_in_state(N.PUBLISHED, staff_user=staff, head_user=head, reviewer_user=reviewer,
                                                  title=f"湖州市清理测试办法{code}{i}", business_related=False)
            for i in range(n)]


def entries_of(round_: CleanupRound) -> dict[int, CleanupEntry]:
    return {e.document_id: e for e in round_.entries.all()}


# ================================================================== start
def test_start_lists_every_document_of_the_issuer_in_force(head):
    mine = published(head, 2)
    published(head, 1, code="hz-nrp")
    factories.normative_document_in_state(N.DRAFTING, staff_user=factories.staff("hz-drc"), title="起草中的文件")
    repealed = factories.normative_document_in_state(N.REPEALED, staff_user=factories.staff("hz-drc"), head_user=head,
                                                     title="已废止的文件", business_related=False)

    round_ = cleanup.cleanup_start(actor=head, issuer_id=head.department_id)

    assert sorted(entries_of(round_)) == sorted(d.pk for d in mine)
    assert repealed.pk not in entries_of(round_)
    assert round_.title == "湖州市发展和改革委员会2026年行政规范性文件全面清理"
    assert AuditEvent.objects.filter(action="cleanup_start", object_id=str(round_.pk)).count() == 1


def test_staff_may_not_start_a_clean_up(head):
    with pytest.raises(PermissionDenied):
        cleanup.cleanup_start(actor=factories.staff("hz-drc"), issuer_id=head.department_id)


def test_the_government_office_starts_a_clean_up_for_the_city_government_but_not_for_a_department(head):
    office = factories.office()
    city = factories.department("huzhou")
    assert cleanup.cleanup_start(actor=office, issuer_id=city.pk).issuer == city
    with pytest.raises(PermissionDenied):
        cleanup.cleanup_start(actor=office, issuer_id=head.department_id)


def test_a_second_round_cannot_start_while_one_is_unpublished(head):
    cleanup.cleanup_start(actor=head, issuer_id=head.department_id)
    with pytest.raises(Conflict) as error:
        cleanup.cleanup_start(actor=head, issuer_id=head.department_id)
    assert error.value.message == "湖州市发展和改革委员会已有尚未公布结果的清理，请先完成并公布。"


# ================================================================== results
def test_amend_repeal_and_expired_need_a_note(head):
    (document,) = published(head, 1)
    round_ = cleanup.cleanup_start(actor=head, issuer_id=head.department_id)
    entry = entries_of(round_)[document.pk]
    with pytest.raises(DomainError) as error:
        cleanup.cleanup_set_result(actor=head, entry_id=entry.pk, result="repeal", note=" ")
    assert error.value.message == "清理结果为“宣布废止”的，请填写说明（理由和依据）。"
    cleanup.cleanup_set_result(actor=head, entry_id=entry.pk, result="valid")
    assert CleanupEntry.objects.get(pk=entry.pk).result == "valid"


def test_an_unknown_result_is_refused(head):
    (document,) = published(head, 1)
    round_ = cleanup.cleanup_start(actor=head, issuer_id=head.department_id)
    with pytest.raises(DomainError) as error:
        cleanup.cleanup_set_result(actor=head, entry_id=entries_of(round_)[document.pk].pk, result="keep")
    assert error.value.message == "请选择清理结果。"


def test_another_issuers_head_may_not_set_results(head):
    (document,) = published(head, 1)
    round_ = cleanup.cleanup_start(actor=head, issuer_id=head.department_id)
    with pytest.raises(PermissionDenied):
        cleanup.cleanup_set_result(actor=factories.normative_head("hz-nrp"),
                                   entry_id=entries_of(round_)[document.pk].pk, result="valid")


# ================================================================== publication
def test_publication_is_refused_while_a_document_has_no_result(head):
    first, second = published(head, 2)
    round_ = cleanup.cleanup_start(actor=head, issuer_id=head.department_id)
    cleanup.cleanup_set_result(actor=head, entry_id=entries_of(round_)[first.pk].pk, result="valid")
    with pytest.raises(TransitionBlocked) as error:
        cleanup.cleanup_publish(actor=head, round_id=round_.pk)
    assert error.value.message == "尚有1件文件未填写清理结果，不能公布。"
    assert error.value.details == [f"“{second}”尚未填写清理结果"]
    assert CleanupRound.objects.get(pk=round_.pk).published_on is None


def test_publication_applies_repeal_and_expiry_and_starts_the_next_clean_up_clock(head):
    valid, amend, repeal, expired = published(head, 4)
    round_ = cleanup.cleanup_start(actor=head, issuer_id=head.department_id)
    entries = entries_of(round_)
    for document, result, note in ((valid, "valid", ""), (amend, "amend", "与新修订的上位法不一致，拟修改。"),
                                   (repeal, "repeal", "调整对象已消失。"), (expired, "expired", "适用期已过。")):
        cleanup.cleanup_set_result(actor=head, entry_id=entries[document.pk].pk, result=result, note=note)

    cleanup.cleanup_publish(actor=head, round_id=round_.pk)

    statuses = dict(NormativeDocument.objects.filter(pk__in=[valid.pk, amend.pk, repeal.pk, expired.pk])
                    .values_list("pk", "status"))
    assert statuses == {valid.pk: N.PUBLISHED, amend.pk: N.PUBLISHED, repeal.pk: N.REPEALED, expired.pk: N.EXPIRED}
    assert NormativeDocument.objects.get(pk=expired.pk).ended_on == dt.date(2026, 5, 11)
    assert NormativeDocument.objects.get(pk=repeal.pk).public_status() == "repealed"
    assert CleanupRound.objects.get(pk=round_.pk).published_on == dt.date(2026, 5, 11)
    clock = LegalClock.objects.get(rule="normative.cleanup", object_id=round_.pk)
    assert (clock.status, clock.fixed_due_on, clock.department_id) == ("running", dt.date(2028, 5, 11),
                                                                       head.department_id)
    event = AuditEvent.objects.get(action="cleanup_publish", object_id=str(round_.pk))
    assert event.details["counts"] == {"valid": 1, "amend": 1, "repeal": 1, "expired": 1}
    # the expired document's own clocks (filing, expiry reminders) stop with it
    assert not LegalClock.objects.filter(object_id=expired.pk, rule__startswith="normative.expiry",
                                         status="running").exists()


def test_results_cannot_change_after_publication(head):
    (document,) = published(head, 1)
    round_ = cleanup.cleanup_start(actor=head, issuer_id=head.department_id)
    entry = entries_of(round_)[document.pk]
    cleanup.cleanup_set_result(actor=head, entry_id=entry.pk, result="valid")
    cleanup.cleanup_publish(actor=head, round_id=round_.pk)
    with pytest.raises(InvalidState) as error:
        cleanup.cleanup_set_result(actor=head, entry_id=entry.pk, result="repeal", note="废止。")
    assert error.value.message == "清理结果已公布，不能修改。"
    with pytest.raises(InvalidState):
        cleanup.cleanup_publish(actor=head, round_id=round_.pk)


def test_the_next_round_stops_the_previous_rounds_clock(head):
    first = cleanup.cleanup_start(actor=head, issuer_id=head.department_id)
    cleanup.cleanup_publish(actor=head, round_id=first.pk)
    with time_machine.travel("2026-11-02 10:00 +0800", tick=False):
        second = cleanup.cleanup_start(actor=head, issuer_id=head.department_id)
        cleanup.cleanup_publish(actor=head, round_id=second.pk)
    clocks = dict(LegalClock.objects.filter(rule="normative.cleanup").values_list("object_id", "status"))
    assert clocks == {first.pk: "stopped", second.pk: "running"}


# ================================================================== pages
def test_anyone_logged_in_reads_the_clean_up_pages(client, head):
    published(head, 1)
    round_ = cleanup.cleanup_start(actor=head, issuer_id=head.department_id)
    client.force_login(factories.reviewer())
    assert client.get(reverse("normative_docs:cleanup-list")).status_code == 200
    response = client.get(reverse("normative_docs:cleanup-detail", args=[round_.pk]))
    assert response.status_code == 200
    assert response.context["may_manage"] is False
    assert client.get(reverse("normative_docs:cleanup-detail", args=[round_.pk + 100])).status_code == 404


def test_a_clean_up_page_links_each_document_to_the_page_that_opens_for_the_reader(client, head):
    document = published(head, 1)[0]
    round_ = cleanup.cleanup_start(actor=head, issuer_id=head.department_id)
    staff_page, public_page = (reverse("normative_docs:detail", args=[document.pk]),
                               reverse("library:detail", args=[document.pk]))
    for reader, page in ((head, staff_page), (factories.enforcement_officer(), public_page)):
        client.force_login(reader)
        html = client.get(reverse("normative_docs:cleanup-detail", args=[round_.pk])).content.decode()
        assert f'href="{page}"' in html and client.get(page).status_code == 200
        assert f'href="{({staff_page, public_page} - {page}).pop()}"' not in html


def test_staff_posting_a_start_gets_403(client, head):
    client.force_login(factories.staff("hz-drc"))
    response = client.post(reverse("normative_docs:cleanup-list"), {"issuer": head.department_id})
    assert response.status_code == 403
    assert not CleanupRound.objects.exists()


def test_head_starts_sets_results_and_publishes_through_the_pages(client, head):
    valid, repeal = published(head, 2)
    client.force_login(head)
    response = client.post(reverse("normative_docs:cleanup-list"), {"issuer": head.department_id, "title": ""})
    round_ = CleanupRound.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("normative_docs:cleanup-detail",
                                                                           args=[round_.pk])
    url = reverse("normative_docs:cleanup-detail", args=[round_.pk])
    entries = entries_of(round_)
    client.post(url, {"entry": entries[valid.pk].pk, "result": "valid", "note": ""})

    refused = client.post(url, {"action": "publish", "confirmed": "on"})
    assert refused.status_code == 400
    assert "尚未填写清理结果" in refused.content.decode()
    missing_note = client.post(url, {"entry": entries[repeal.pk].pk, "result": "repeal", "note": ""})
    assert missing_note.status_code == 400
    assert "请填写说明" in missing_note.content.decode()

    client.post(url, {"entry": entries[repeal.pk].pk, "result": "repeal", "note": "已被新规定取代。"})
    unconfirmed = client.post(url, {"action": "publish"})
    assert unconfirmed.status_code == 400 and "请先确认" in unconfirmed.content.decode()
    assert NormativeDocument.objects.get(pk=repeal.pk).status != N.REPEALED
    assert client.post(url, {"action": "publish", "confirmed": "on"}).status_code == 302
    page = client.get(url).content.decode()
    assert NormativeDocument.objects.get(pk=repeal.pk).status == N.REPEALED
    assert "宣布废止（1）" in page and "继续有效（1）" in page


def test_another_issuers_head_posting_results_gets_403(client, head):
    (document,) = published(head, 1)
    round_ = cleanup.cleanup_start(actor=head, issuer_id=head.department_id)
    client.force_login(factories.normative_head("hz-nrp"))
    url = reverse("normative_docs:cleanup-detail", args=[round_.pk])
    assert client.post(url, {"entry": entries_of(round_)[document.pk].pk, "result": "valid"}).status_code == 403
    assert client.post(url, {"action": "publish", "confirmed": "on"}).status_code == 403
    assert CleanupRound.objects.get(pk=round_.pk).published_on is None


@pytest.mark.parametrize("rows", [FEW, MANY], ids=["few", "many"])
def test_clean_up_pages_query_count(client, head, django_assert_max_num_queries, rows):
    published(head, rows)
    round_ = cleanup.cleanup_start(actor=head, issuer_id=head.department_id)
    client.force_login(head)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("normative_docs:cleanup-detail", args=[round_.pk]))
    assert len(response.context["entries"]) == rows
    with django_assert_max_num_queries(8):
        client.get(reverse("normative_docs:cleanup-list"))
