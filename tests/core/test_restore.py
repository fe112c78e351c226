"""The restore drill: back up with pg_dump, issue more official numbers, restore the older dump,
and ``reconcile_after_restore`` moves every counter past what was published — nothing official
is issued twice and the audit chain continues from the published checkpoint."""
from __future__ import annotations

import os
import subprocess
import time
from io import StringIO

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from core.models import AuditCheckpoint, AuditEvent, DisclosureRecord
from decisions.models import Decision
from normative_docs.models import NormativeDocument
from normative_docs.suggestions import suggestion_submit
from normative_docs.workflow import DocumentStatus
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _may_2026():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=True):
        yield


def _pg_env() -> tuple[list[str], dict]:
    settings = connection.settings_dict
    args = ["-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432), "-U", settings["USER"]]
    return args, {**os.environ, "PGPASSWORD": settings["PASSWORD"] or ""}


def _dump(path) -> float:
    args, env = _pg_env()
    started = time.monotonic()
    subprocess.run(["pg_dump", *args, "-Fc", "-f", str(path), connection.settings_dict["NAME"]], env=env, check=True)
    return time.monotonic() - started


def _restore(path) -> float:
    args, env = _pg_env()
    connections.close_all()
    started = time.monotonic()
    subprocess.run(["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "--single-transaction",
                    "-d", connection.settings_dict["NAME"], str(path)], env=env, check=True)
    elapsed = time.monotonic() - started
    ContentType.objects.clear_cache()
    return elapsed


def _index_number(document) -> str:
    return DisclosureRecord.objects.get(object_id=document.pk, content_type=ContentType.objects.get_for_model(
        NormativeDocument)).index_number


def test_restoring_an_older_dump_then_reconciling_never_reissues_a_published_number(tmp_path, settings, capsys):
    settings.HUZHOU_AUDIT_CHECKPOINT_FILE = str(tmp_path / "checkpoints.jsonl")
    head = factories.normative_head("hz-drc")
    first = factories.normative_document_in_state(DocumentStatus.PUBLISHED, head_user=head)
    dump_seconds = _dump(tmp_path / "nightly.dump")

    # after the backup: more official numbers are issued and published (each one checkpointed)
    decision = factories.decision_in_state("drafting")
    second = factories.normative_document_in_state(DocumentStatus.PUBLISHED, head_user=head, title="湖州市第二件规范性文件")
    suggestion = suggestion_submit(document_id=first.pk, name="", contact="", content="建议修改第三条。",
                                   client_key="203.0.113.9")
    published = {"number": second.number, "index": _index_number(second), "suggestion": suggestion.number,
                 "document_id": second.pk, "decision_id": decision.pk,
                 "seq": AuditCheckpoint.objects.order_by("-seq").first().seq}
    assert published["seq"] == AuditEvent.objects.order_by("-seq").first().seq

    # the disaster: last night's dump goes back in
    restore_seconds = _restore(tmp_path / "nightly.dump")
    assert not NormativeDocument.objects.filter(pk=second.pk).exists()

    with pytest.raises(CommandError, match="数据库被回滚或从较早的备份恢复"):
        call_command("verify_audit_chain", stdout=StringIO())

    out = StringIO()
    started = time.monotonic()
    call_command("reconcile_after_restore", stdout=out)
    reconcile_seconds = time.monotonic() - started
    report = out.getvalue()
    assert f"文号：数据库已用至 1，已公布至 2；缺失（已公布，不得再发）：{published['number']}" in report
    assert published["index"] in report
    assert published["suggestion"] in report
    assert "已写入恢复标记" in report

    # business goes on: nothing published before the restore is issued again
    third = factories.normative_document_in_state(DocumentStatus.PUBLISHED, head_user=head, title="湖州市第三件规范性文件")
    another = suggestion_submit(document_id=first.pk, name="", contact="", content="再提一条建议。",
                                client_key="203.0.113.10")
    assert third.number not in (first.number, published["number"])
    assert _index_number(third) != published["index"]
    assert another.number != published["suggestion"]
    assert third.pk > published["document_id"]
    assert factories.decision_in_state("drafting").pk > published["decision_id"]
    assert AuditEvent.objects.filter(seq__lte=published["seq"], seq__gt=published["seq"] - 1).count() == 0
    assert AuditEvent.objects.order_by("seq").filter(seq__gt=published["seq"]).first().event_type == "restore"

    out = StringIO()
    call_command("verify_audit_chain", stdout=out)
    assert out.getvalue().startswith("OK n=")
    assert "恢复时缺失 seq=" in out.getvalue()
    with capsys.disabled():
        print(f"\nrestore drill: pg_dump {dump_seconds:.2f} s, pg_restore {restore_seconds:.2f} s, "
              f"reconcile_after_restore {reconcile_seconds:.2f} s")


def test_reconcile_on_an_up_to_date_database_changes_nothing(tmp_path, settings):
    settings.HUZHOU_AUDIT_CHECKPOINT_FILE = str(tmp_path / "checkpoints.jsonl")
    factories.normative_document_in_state(DocumentStatus.PUBLISHED)
    before = AuditEvent.objects.count()
    out = StringIO()

    call_command("reconcile_after_restore", stdout=out)

    assert "数据库不落后于已公布的检查点，无需调整。" in out.getvalue()
    assert AuditEvent.objects.count() == before


def test_a_dry_run_reports_without_changing_anything(tmp_path, settings):
    settings.HUZHOU_AUDIT_CHECKPOINT_FILE = str(tmp_path / "checkpoints.jsonl")
    factories.decision_in_state("drafting")
    _dump(tmp_path / "before.dump")
    newer = factories.decision_in_state("drafting")
    call_command("audit_checkpoint", "--force", stdout=StringIO())
    _restore(tmp_path / "before.dump")
    out = StringIO()

    call_command("reconcile_after_restore", "--dry-run", stdout=out)

    assert "（试运行：未作任何改动）" in out.getvalue()
    assert "decisions_decision_id_seq" in out.getvalue()
    assert not AuditEvent.objects.filter(event_type="restore").exists()
    assert Decision.objects.order_by("-pk").first().pk < newer.pk


def test_without_any_checkpoint_reconcile_says_so():
    with pytest.raises(CommandError, match="没有可依据的检查点"):
        call_command("reconcile_after_restore", stdout=StringIO())
