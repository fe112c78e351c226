"""The append-only, hash-chained audit trail: one row per step, written in the
business transaction; the database refuses changes; tampering is found by
``verify_chain`` and the ``verify_audit_chain`` command."""
from io import StringIO

import pytest
import time_machine
from django.core.management import base as management_base
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import ProgrammingError

from core.audit import GENESIS_HASH, compute_hash, verify_chain
from core.exceptions import DomainError
from core.management.commands.verify_audit_chain import Command as VerifyAuditChain
from core.models import AuditEvent
from core.selectors import history_for
from decisions import services
from decisions.models import Decision
from decisions.workflow import DecisionStatus as S
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _may_2026():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


@pytest.fixture
def executing(office_user) -> Decision:
    """A decision carried to EXECUTING by the real services: nine audit rows."""
    return factories.decision_in_state(S.EXECUTING, office_user=office_user)


def _sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _triggers_off() -> None:
    """Tampering needs the append-only triggers out of the way; the ALTER is
    part of the test transaction and is rolled back with it."""
    _sql("SET CONSTRAINTS ALL IMMEDIATE")  # deferred FK checks on the new rows would block the ALTER
    _sql("ALTER TABLE core_auditevent DISABLE TRIGGER USER")


def _run_command(capsys, monkeypatch) -> tuple[int, str, str]:
    """Run the command as manage.py would, returning (exit status, stdout, stderr)."""
    # run_from_argv closes every connection at the end; keep the test transaction open.
    monkeypatch.setattr(management_base.connections, "close_all", lambda: None)
    try:
        VerifyAuditChain().run_from_argv(["manage.py", "verify_audit_chain"])
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# ---------------------------------------------------------------- one row per step
def test_a_transition_writes_exactly_one_row_with_actor_states_and_reason(executing, office_user):
    before = AuditEvent.objects.filter(event_type="transition").count()

    services.decision_suspend(actor=office_user, decision_id=executing.pk, reason="群众反映强烈，暂停执行。")

    assert AuditEvent.objects.filter(event_type="transition").count() == before + 1
    row = AuditEvent.objects.filter(event_type="transition").order_by("-seq").first()
    assert row.event_type == "transition"
    assert row.action == "suspend"
    assert row.action_label == "暂停执行"
    assert (row.source_state, row.target_state) == (S.EXECUTING, S.SUSPENDED)
    assert row.reason == "群众反映强烈，暂停执行。"
    assert row.actor == office_user
    assert row.actor_username == "office1"
    assert row.actor_name == office_user.full_name
    assert row.actor_roles == "office"
    assert row.actor_department == "湖州市人民政府办公室"
    assert (row.object_type, row.object_id, row.object_label) == ("decisions.decision", str(executing.pk),
                                                                  executing.title)


def test_the_audit_row_is_rolled_back_with_its_transition(executing, office_user):
    before = AuditEvent.objects.count()

    with pytest.raises(RuntimeError), transaction.atomic():
        services.decision_suspend(actor=office_user, decision_id=executing.pk, reason="暂停执行。")
        raise RuntimeError("the surrounding business transaction fails later")

    assert AuditEvent.objects.count() == before
    assert Decision.objects.get(pk=executing.pk).status == S.EXECUTING


def test_a_refused_transition_writes_no_row(executing, office_user):
    before = AuditEvent.objects.count()

    with pytest.raises(DomainError, match="请说明暂停执行的理由。"):
        services.decision_suspend(actor=office_user, decision_id=executing.pk, reason="")

    assert AuditEvent.objects.count() == before


def test_the_history_of_a_decision_lists_every_step_in_order(executing):
    actions = list(history_for(executing).values_list("action", flat=True))

    assert actions == [
        "start_procedures", "attachment_upload", "procedure_completed", "submit_for_legality_review",
        # the review concluded on the day of submission: with its reason (rule D19-early)
        "review_claim", "rule_reason", "pass_legality_review", "adopt", "clock_start", "party_report", "publish",
        "clock_stopped", "clock_start", "disclosure_register",
    ]


def test_rows_are_numbered_without_gaps_and_each_carries_the_previous_hash(executing):
    rows = list(AuditEvent.objects.order_by("seq").values("seq", "prev_hash", "row_hash"))

    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0]["prev_hash"] == GENESIS_HASH
    assert all(later["prev_hash"] == earlier["row_hash"] for earlier, later in zip(rows, rows[1:]))


#: Rows written while building the ``executing`` fixture: 14 on the decision (its steps, the reason
#: of the early review conclusion, its 索引号 and its publication and execution-report clocks) and 2
#: for the review task's clock.
CHAIN_ROWS = 16


# ---------------------------------------------------------------- verification
def test_verify_chain_is_ok_on_an_empty_table():
    assert verify_chain() == (0, None)


def test_verify_chain_is_ok_on_a_fresh_chain(executing):
    checked, problem = verify_chain()

    assert problem is None
    assert checked == AuditEvent.objects.count() == CHAIN_ROWS


def test_verify_chain_checks_every_batch(executing):
    assert verify_chain(batch_size=3) == (CHAIN_ROWS, None)


def test_the_command_prints_ok_and_the_row_count_on_an_untampered_chain(executing, capsys, monkeypatch):
    status, out, err = _run_command(capsys, monkeypatch)

    assert status == 0
    assert out.strip() == f"OK n={CHAIN_ROWS}"
    assert err == ""


def test_call_command_prints_ok_on_an_untampered_chain(executing):
    out = StringIO()
    call_command("verify_audit_chain", stdout=out)
    assert out.getvalue().strip() == f"OK n={CHAIN_ROWS}"


# ---------------------------------------------------------------- the database refuses changes
@pytest.mark.parametrize(
    ("statement", "operation"),
    [
        ("UPDATE core_auditevent SET reason = '改写' WHERE seq = 2", "UPDATE"),
        ("DELETE FROM core_auditevent WHERE seq = 2", "DELETE"),
        ("TRUNCATE core_auditevent", "TRUNCATE"),
    ],
    ids=["update", "delete", "truncate"],
)
def test_the_database_refuses_to_change_audit_rows(executing, statement, operation):
    _sql("SET CONSTRAINTS ALL IMMEDIATE")  # else TRUNCATE stops at the pending FK checks, not at the trigger
    with pytest.raises(ProgrammingError, match=f"append-only: {operation} refused on core_auditevent"):
        with transaction.atomic():
            _sql(statement)

    assert AuditEvent.objects.count() == CHAIN_ROWS
    assert verify_chain() == (CHAIN_ROWS, None)


def test_the_orm_cannot_update_an_audit_row_either(executing):
    with pytest.raises(ProgrammingError), transaction.atomic():
        AuditEvent.objects.filter(seq=3).update(reason="改写")


def test_the_orm_cannot_delete_an_audit_row_either(executing):
    with pytest.raises(ProgrammingError), transaction.atomic():
        AuditEvent.objects.filter(seq=3).delete()


# ---------------------------------------------------------------- tampering is found
def test_a_changed_reason_is_reported_at_its_seq(executing, capsys, monkeypatch):
    _triggers_off()
    _sql("UPDATE core_auditevent SET reason = '篡改后的理由' WHERE seq = 5")

    checked, problem = verify_chain()
    assert checked == 4
    assert (problem.seq, problem.problem) == (5, "内容哈希不匹配（行被篡改）")
    status, out, err = _run_command(capsys, monkeypatch)
    assert status != 0
    assert "OK" not in out
    assert "seq=5" in err
    assert "内容哈希不匹配（行被篡改）" in err


def test_a_deleted_middle_row_is_reported_as_the_missing_seq(executing, capsys, monkeypatch):
    _triggers_off()
    _sql("DELETE FROM core_auditevent WHERE seq = 5")

    checked, problem = verify_chain()
    assert checked == 4
    assert (problem.seq, problem.problem) == (5, "缺少序号 5（下一行为 6）")
    status, _out, err = _run_command(capsys, monkeypatch)
    assert status != 0
    assert "seq=5" in err
    assert "缺少序号 5（下一行为 6）" in err


def test_reordered_rows_are_reported_at_the_first_moved_seq(executing, capsys, monkeypatch):
    _triggers_off()
    _sql("UPDATE core_auditevent SET seq = -1 WHERE seq = 4")
    _sql("UPDATE core_auditevent SET seq = 4 WHERE seq = 7")
    _sql("UPDATE core_auditevent SET seq = 7 WHERE seq = -1")

    checked, problem = verify_chain()
    assert checked == 3
    assert (problem.seq, problem.problem) == (4, "前一行哈希不匹配（行被删除、插入或重排）")
    status, _out, err = _run_command(capsys, monkeypatch)
    assert status != 0
    assert "seq=4" in err


def test_a_rewritten_row_with_a_recomputed_hash_breaks_the_next_link(executing):
    _triggers_off()
    fields = ["seq", "occurred_at", "actor_id", "actor_username", "actor_name", "actor_roles", "actor_department",
              "event_type", "object_type", "object_id", "object_label", "action", "action_label", "source_state",
              "target_state", "reason", "details", "request_id", "prev_hash"]
    row = AuditEvent.objects.values(*fields).get(seq=5)
    row["reason"] = "篡改后的理由"
    forged = compute_hash(row["prev_hash"], row)
    _sql("UPDATE core_auditevent SET reason = %s, row_hash = %s WHERE seq = 5", [row["reason"], forged])

    checked, problem = verify_chain()
    assert checked == 5
    assert (problem.seq, problem.problem) == (6, "前一行哈希不匹配（行被删除、插入或重排）")


def test_a_forged_row_appended_without_the_chain_is_reported(executing):
    last = AuditEvent.objects.order_by("-seq").first()
    forged = AuditEvent.objects.get(pk=last.pk)
    forged.pk = None
    forged.seq = last.seq + 1
    forged.reason = "伪造"
    forged.prev_hash = "f" * 64
    forged.save()

    checked, problem = verify_chain()
    assert checked == CHAIN_ROWS
    assert problem.seq == CHAIN_ROWS + 1


def test_call_command_raises_command_error_naming_the_first_bad_seq(executing):
    _triggers_off()
    _sql("UPDATE core_auditevent SET reason = '篡改' WHERE seq = 3")
    _sql("UPDATE core_auditevent SET reason = '篡改' WHERE seq = 8")

    with pytest.raises(CommandError) as error:
        call_command("verify_audit_chain", stdout=StringIO())

    assert error.value.returncode == 1
    assert str(error.value) == "审计日志哈希链校验失败：seq=3：内容哈希不匹配（行被篡改）（此前 2 行完好）"
