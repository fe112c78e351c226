"""Administrative contracts (issue 16, 浙政办发〔2013〕37号): drafted by the contracting unit, reviewed
by its body's review unit in the shared queue (townships: the 司法所) before signing, signed,
reminded before milestones and expiry, filed, changed, disputed, terminated; each body's
register and its annual clean-up."""
import datetime as dt

import pytest
import time_machine

from contracts import services
from contracts.models import Contract
from contracts.workflow import ContractStatus as S
from core.exceptions import DomainError, NotPermitted
from core.models import AuditEvent
from core.rulebook import RuleRefused
from deadlines.models import LegalClock, Reminder
from reviews.models import ReviewTask
from tests import factories
from tests.contracts.helpers import SIFASUO, TOWNSHIP, contract_data, drafted, reviewed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


def test_a_township_contract_belongs_to_the_township():
    contract = drafted()
    assert (contract.body.code, contract.department.code, contract.status) == (TOWNSHIP, TOWNSHIP, S.DRAFTING)


def test_a_township_contract_goes_to_its_sifasuo():
    staff = factories.staff(TOWNSHIP)
    contract = drafted(staff)
    services.contract_submit_for_legality_review(actor=staff, contract_id=contract.pk)
    task = ReviewTask.objects.get(object_id=contract.pk, kind="contract")
    assert task.review_unit.code == SIFASUO
    assert task.due_on == dt.date(2026, 5, 20)  # 7 working days, a local rule of the policy table
    assert Contract.objects.get(pk=contract.pk).status == S.LEGALITY_REVIEW


def test_a_city_departments_contract_goes_to_the_city_justice_bureau():
    staff = factories.staff("hz-drc")
    contract = drafted(staff)
    services.contract_submit_for_legality_review(actor=staff, contract_id=contract.pk)
    assert ReviewTask.objects.get(object_id=contract.pk, kind="contract").review_unit.code == "hz-justice"


def test_the_review_checklist_cites_the_1337_notice_for_each_point():
    from reviews.checklist import checklist_for

    keys = [key for key, _label, _basis in checklist_for("contract")]
    assert {"authority", "no_guarantee", "public_interest", "dispute", "confidentiality"} <= set(keys)
    assert all("浙政办发〔2013〕37号" in basis for _key, _label, basis in checklist_for("contract"))


def test_a_passed_review_makes_the_contract_ready_to_sign():
    contract = reviewed()
    assert (contract.status, contract.legality_passed) == (S.REVIEWED, True)
    assert contract.legality_opinion == "经审查，合同主体适格，条款合法。"


def test_a_returned_review_sends_the_contract_back_to_drafting():
    assert reviewed(outcome="returned").status == S.DRAFTING


def test_a_contract_of_a_listed_type_cannot_be_signed_before_its_review_passes():
    staff = factories.staff(TOWNSHIP)
    contract = drafted(staff)
    with pytest.raises(RuleRefused) as refusal:
        services.contract_sign(actor=staff, contract_id=contract.pk, signed_on=dt.date(2026, 5, 11), signed_by="镇长")
    assert refusal.value.message == ("国有资产出让、出租、承包合同签订前须经吴兴区司法局织里司法所合法性审查并通过"
                                     "（《关于规范行政机关合同管理的意见》（浙政办发〔2013〕37号））。")
    assert Contract.objects.get(pk=contract.pk).status == S.DRAFTING
    assert AuditEvent.objects.filter(event_type="rule_refused", object_id=str(contract.pk)).exists()


def test_a_failed_review_blocks_signing():
    staff = factories.staff(TOWNSHIP)
    contract = reviewed(staff, outcome="failed")
    with pytest.raises(DomainError):
        services.contract_sign(actor=staff, contract_id=contract.pk, signed_on=dt.date(2026, 5, 11), signed_by="镇长")


def test_another_contract_may_be_signed_without_review():
    staff = factories.staff(TOWNSHIP)
    contract = drafted(staff, contract_type="other")
    signed = services.contract_sign(actor=staff, contract_id=contract.pk, signed_on=dt.date(2026, 5, 11),
                                    signed_by="镇长")
    assert signed.status == S.PERFORMING


def test_signing_starts_the_filing_clock_and_milestone_reminders():
    staff = factories.staff(TOWNSHIP)
    contract = reviewed(staff)
    milestone = services.contract_add_milestone(actor=staff, contract_id=contract.pk, title="交付厂房",
                                                due_on=dt.date(2026, 7, 1))
    signed = services.contract_sign(actor=staff, contract_id=contract.pk, signed_on=dt.date(2026, 5, 11),
                                    signed_by="镇长")
    assert signed.filing_due_on == dt.date(2026, 6, 10)  # 30 days, a local rule
    clocks = {clock.rule: clock for clock in LegalClock.objects.filter(status="running")}
    assert clocks["contract.milestone"].object_id == milestone.pk
    assert clocks["contract.milestone"].due_on == dt.date(2026, 7, 1)
    assert clocks["contract.expiry"].due_on == dt.date(2029, 5, 31)
    warn = Reminder.objects.filter(clock=clocks["contract.milestone"], step="warn").get()
    assert warn.recipient == staff and warn.due_at.date() == dt.date(2026, 6, 24)  # 7 days before


def test_each_contract_number_is_a_local_rule_of_the_policy_table():
    from deadlines.models import DeadlinePolicy

    for code in ("contract.legality_review", "contract.milestone", "contract.expiry", "contract.filing"):
        assert "本地规则" in DeadlinePolicy.objects.get(code=code).source


def test_filing_stops_its_clock_and_is_on_time():
    staff = factories.staff(TOWNSHIP)
    contract = reviewed(staff)
    services.contract_sign(actor=staff, contract_id=contract.pk, signed_on=dt.date(2026, 5, 11), signed_by="镇长")
    filed = services.contract_file(actor=staff, contract_id=contract.pk, filed_on=dt.date(2026, 5, 11))
    assert filed.filed_on_time is True
    assert not LegalClock.objects.filter(rule="contract.filing", status="running").exists()


def test_changes_disputes_and_termination_are_recorded():
    staff = factories.staff(TOWNSHIP)
    contract = reviewed(staff)
    services.contract_sign(actor=staff, contract_id=contract.pk, signed_on=dt.date(2026, 5, 11), signed_by="镇长")
    services.contract_record(actor=staff, contract_id=contract.pk, kind="change", occurred_on=dt.date(2026, 5, 11),
                             summary="租金支付方式由按季改为按月。")
    services.contract_record(actor=staff, contract_id=contract.pk, kind="dispute", occurred_on=dt.date(2026, 5, 11),
                             summary="承租方逾期支付租金。", resolution="协商解决。")
    ended = services.contract_terminate(actor=staff, contract_id=contract.pk, ended_on=dt.date(2026, 5, 11),
                                        reason="承租方严重违约，依约解除。")
    assert (ended.status, ended.end_reason) == (S.TERMINATED, "承租方严重违约，依约解除。")
    assert [r.kind for r in ended.records.all()] == ["change", "dispute"]
    assert not LegalClock.objects.filter(rule="contract.expiry", status="running").exists()


def test_only_the_contracting_unit_acts_on_its_contract():
    contract = drafted()
    with pytest.raises(Contract.DoesNotExist):
        services.contract_submit_for_legality_review(actor=factories.staff("wuxing-balidian"), contract_id=contract.pk)
    with pytest.raises(NotPermitted):
        services.contract_submit_for_legality_review(actor=factories.supervisor(), contract_id=contract.pk)


def test_a_contract_needs_its_key_fields():
    with pytest.raises(DomainError, match="合同相对方"):
        services.contract_draft(actor=factories.staff(TOWNSHIP), data=contract_data(counterparty=""))
    with pytest.raises(DomainError, match="履行期限止不得早于"):
        services.contract_draft(actor=factories.staff(TOWNSHIP), data=contract_data(term_end=dt.date(2026, 1, 1)))


def test_the_annual_clean_up_counts_the_register():
    staff = factories.staff(TOWNSHIP)
    contract = drafted(staff, contract_type="other")
    services.contract_sign(actor=staff, contract_id=contract.pk, signed_on=dt.date(2026, 5, 11), signed_by="镇长")
    cleanup = services.contract_cleanup_record(actor=staff, body_id=contract.body_id, year=2026,
                                               done_on=dt.date(2026, 5, 11), findings="合同均在履行，未发现问题。")
    assert cleanup.contracts_checked == 1
    with pytest.raises(NotPermitted):
        services.contract_cleanup_record(actor=factories.staff("wuxing-balidian"), body_id=contract.body_id, year=2025,
                                         done_on=dt.date(2026, 5, 11), findings="越权记录。")
