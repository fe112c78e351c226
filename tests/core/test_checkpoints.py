"""Audit anchors: signed checkpoints of the chain head, kept outside the database, and what
``verify_audit_chain`` finds when the table no longer matches them."""
from __future__ import annotations

import json
from io import StringIO

import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from core.audit import compute_hash, record_restore_marker
from core.checkpoints import (
    checkpoint_create,
    collect_anchors,
    read_copies,
    verify_anchors,
)
from core.models import AuditCheckpoint, AuditEvent, DisclosureSequence
from core.sequences import next_in_sequence
from core.signing import canonical_json, key_id_of, sign, verify
from decisions.workflow import DecisionStatus as S
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _may_2026():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


@pytest.fixture
def sink(settings, tmp_path):
    settings.HUZHOU_AUDIT_CHECKPOINT_FILE = str(tmp_path / "anchors" / "checkpoints.jsonl")
    return tmp_path / "anchors" / "checkpoints.jsonl"


@pytest.fixture
def executing(office_user):
    return factories.decision_in_state(S.EXECUTING, office_user=office_user)


def _sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _triggers_off() -> None:
    _sql("SET CONSTRAINTS ALL IMMEDIATE")
    _sql("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
    _sql("ALTER TABLE core_auditcheckpoint DISABLE TRIGGER USER")


def _checkpoint(django_capture_on_commit_callbacks) -> AuditCheckpoint:
    with django_capture_on_commit_callbacks(execute=True):
        return checkpoint_create(force=True)


def _verify_problems(*paths) -> list[str]:
    return verify_anchors(paths).problems


# ---------------------------------------------------------------- making checkpoints
def test_a_checkpoint_signs_the_chain_head(executing, django_capture_on_commit_callbacks):
    head = AuditEvent.objects.order_by("-seq").first()

    checkpoint = _checkpoint(django_capture_on_commit_callbacks)

    assert (checkpoint.seq, checkpoint.row_hash) == (head.seq, head.row_hash)
    assert checkpoint.document["seq"] == head.seq
    assert checkpoint.document["head_time"] == head.occurred_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ").replace("+00:00", "")
    assert verify(checkpoint.document, checkpoint.signed_copy()["signature"]) is None


def test_a_changed_checkpoint_document_no_longer_verifies(executing, django_capture_on_commit_callbacks):
    checkpoint = _checkpoint(django_capture_on_commit_callbacks)
    document = {**checkpoint.document, "seq": checkpoint.seq + 5}

    assert verify(document, checkpoint.signed_copy()["signature"]) == "签名无效（内容被改动，或不是用该密钥签署的）"


def test_the_checkpoint_records_the_highest_numbers_issued(executing, django_capture_on_commit_callbacks):
    marks = _checkpoint(django_capture_on_commit_callbacks).document["watermarks"]

    body_id, year, last = DisclosureSequence.objects.values_list("body_id", "year", "last").get()
    assert marks["sequences"]["core.disclosuresequence"] == [{"key": {"body_id": body_id, "year": year}, "last": last}]
    assert marks["ids"]["decisions_decision_id_seq"] >= executing.pk


def test_no_new_checkpoint_while_the_head_has_not_moved(executing, django_capture_on_commit_callbacks):
    _checkpoint(django_capture_on_commit_callbacks)

    assert checkpoint_create() is None
    assert AuditCheckpoint.objects.count() == 1


def test_each_checkpoint_is_appended_to_the_file_outside_the_database(executing, sink,
                                                                      django_capture_on_commit_callbacks):
    checkpoint = _checkpoint(django_capture_on_commit_callbacks)

    assert read_copies(sink) == [json.loads(json.dumps(checkpoint.signed_copy()))]


def test_issuing_an_official_number_signs_a_checkpoint_after_commit(executing, office_user,
                                                                    django_capture_on_commit_callbacks):
    before = AuditCheckpoint.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        factories.decision_in_state(S.EXECUTING, office_user=office_user)  # publishing gives it a 索引号

    assert AuditCheckpoint.objects.count() == before + 1
    assert AuditCheckpoint.objects.order_by("-seq").first().seq == AuditEvent.objects.order_by("-seq").first().seq


def test_the_checkpoint_table_refuses_updates(executing, django_capture_on_commit_callbacks):
    from django.db import transaction
    from django.db.utils import ProgrammingError

    checkpoint = _checkpoint(django_capture_on_commit_callbacks)
    with pytest.raises(ProgrammingError, match="append-only: UPDATE refused on core_auditcheckpoint"), \
            transaction.atomic():
        AuditCheckpoint.objects.filter(pk=checkpoint.pk).update(seq=1)


def test_the_checkpoint_command_signs_and_exports(executing, tmp_path):
    out = StringIO()
    call_command("audit_checkpoint", "--force", stdout=out)
    assert out.getvalue().startswith("已签署检查点 seq=")

    call_command("audit_checkpoint", "--export", str(tmp_path / "export.jsonl"), stdout=out)
    assert len(read_copies(tmp_path / "export.jsonl")) == AuditCheckpoint.objects.count()


def test_the_beat_schedule_makes_a_checkpoint_every_hour(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["audit-checkpoint"]
    assert entry["task"] == "core.tasks.audit_checkpoint_task"
    assert entry["schedule"].minute == {0}


# ---------------------------------------------------------------- verification against checkpoints
def test_an_untouched_chain_verifies_against_its_checkpoints(executing, django_capture_on_commit_callbacks):
    _checkpoint(django_capture_on_commit_callbacks)
    out = StringIO()

    call_command("verify_audit_chain", stdout=out)

    assert out.getvalue().splitlines()[0] == f"OK n={AuditEvent.objects.count()}"
    assert "检查点 1 个，签名均有效" in out.getvalue()


def test_deleting_the_newest_row_after_a_checkpoint_is_reported(executing, django_capture_on_commit_callbacks):
    checkpoint = _checkpoint(django_capture_on_commit_callbacks)
    _triggers_off()
    _sql("DELETE FROM core_auditevent WHERE seq = %s", [checkpoint.seq])

    problems = _verify_problems()

    assert len(problems) == 1
    assert f"检查点（seq={checkpoint.seq}" in problems[0]
    assert f"审计表只到 seq={checkpoint.seq - 1}，缺少最新的 1 行（尾部被删除）" in problems[0]
    with pytest.raises(CommandError, match="尾部被删除"):
        call_command("verify_audit_chain", stdout=StringIO())


def test_a_chain_recomputed_without_the_key_contradicts_the_checkpoint(executing,
                                                                        django_capture_on_commit_callbacks):
    """The attacker changes row 5 and recomputes every later hash with the app's own function:
    the chain is consistent again, but no longer ends in the signed hash."""
    checkpoint = _checkpoint(django_capture_on_commit_callbacks)
    _triggers_off()
    fields = ["seq", "occurred_at", "actor_id", "actor_username", "actor_name", "actor_roles", "actor_department",
              "event_type", "object_type", "object_id", "object_label", "action", "action_label", "source_state",
              "target_state", "reason", "details", "request_id", "prev_hash"]
    rows = list(AuditEvent.objects.order_by("seq").values(*fields))
    prev = AuditEvent.objects.get(seq=3).row_hash
    for row in rows[4 - 1:]:
        if row["seq"] == 5:
            row["reason"] = "篡改后的理由"
        row["prev_hash"] = prev
        prev = compute_hash(prev, row)
        _sql("UPDATE core_auditevent SET reason = %s, prev_hash = %s, row_hash = %s WHERE seq = %s",
             [row["reason"], row["prev_hash"], prev, row["seq"]])

    problems = _verify_problems()

    assert len(problems) == 1
    assert f"seq={checkpoint.seq} 的哈希在表中为 {prev[:16]}…，与签署的不同（链被改写后重新计算）" in problems[0]


def test_a_re_signed_checkpoint_with_another_key_is_rejected(executing, django_capture_on_commit_callbacks):
    """Rewriting the checkpoint rows too does not help without the key."""
    checkpoint = _checkpoint(django_capture_on_commit_callbacks)
    intruder = Ed25519PrivateKey.generate()
    import base64

    forged = base64.b64encode(intruder.sign(canonical_json(checkpoint.document))).decode()
    _triggers_off()
    _sql("UPDATE core_auditcheckpoint SET signature = %s, key_id = %s WHERE id = %s",
         [forged, key_id_of(intruder.public_key()), checkpoint.pk])

    problems = _verify_problems()

    assert len(problems) == 1
    assert "不在受信任的公钥中" in problems[0]


def test_a_rolled_back_database_contradicts_the_copy_outside_it(executing, sink, office_user,
                                                                 django_capture_on_commit_callbacks):
    """The database goes back to an earlier state (rows and checkpoint rows gone); the file
    outside it still holds the newer checkpoint."""
    older = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    services_decision = factories.decision_in_state(S.EXECUTING, office_user=office_user)
    checkpoint = _checkpoint(django_capture_on_commit_callbacks)
    assert services_decision.pk and checkpoint.seq > older
    _triggers_off()
    _sql("DELETE FROM core_auditevent WHERE seq > %s", [older])
    _sql("DELETE FROM core_auditcheckpoint")

    problems = _verify_problems()

    assert len(problems) == 1
    assert f"检查点（seq={checkpoint.seq}" in problems[0] and "来源：检查点文件" in problems[0]
    assert "数据库被回滚或从较早的备份恢复" in problems[0]


def test_a_saved_copy_of_the_feed_serves_as_checkpoints(executing, client, tmp_path,
                                                        django_capture_on_commit_callbacks):
    checkpoint = _checkpoint(django_capture_on_commit_callbacks)
    saved = tmp_path / "feed.xml"
    saved.write_bytes(client.get(reverse("transparency:feed")).content)
    _triggers_off()
    _sql("DELETE FROM core_auditcheckpoint")
    _sql("DELETE FROM core_auditevent WHERE seq = %s", [checkpoint.seq])

    anchors = collect_anchors([saved])
    problems = _verify_problems(saved)

    assert [anchor.seq for anchor in anchors] == [checkpoint.seq]
    assert "数据库被回滚" in problems[0]


# ---------------------------------------------------------------- restore markers
def test_a_signed_restore_marker_continues_the_chain_after_a_published_checkpoint(
        executing, django_capture_on_commit_callbacks):
    checkpoint = _checkpoint(django_capture_on_commit_callbacks)
    _triggers_off()
    _sql("DELETE FROM core_auditevent WHERE seq > %s", [checkpoint.seq - 3])
    _sql("ALTER TABLE core_auditevent ENABLE TRIGGER USER")

    from django.db import transaction

    with transaction.atomic():
        marker = record_restore_marker(checkpoint=checkpoint.signed_copy(), local_head_seq=checkpoint.seq - 3,
                                       reason="测试恢复")
    report = verify_anchors()

    assert marker.seq == checkpoint.seq + 1 and marker.prev_hash == checkpoint.row_hash
    assert report.problems == []
    assert [(gap.first, gap.last) for gap in report.gaps] == [(checkpoint.seq - 2, checkpoint.seq)]


def test_a_restore_marker_without_a_valid_signature_is_a_gap(executing, django_capture_on_commit_callbacks):
    checkpoint = _checkpoint(django_capture_on_commit_callbacks)
    _triggers_off()
    _sql("DELETE FROM core_auditevent WHERE seq > %s", [checkpoint.seq - 3])
    from django.db import transaction

    with transaction.atomic():
        marker = record_restore_marker(checkpoint=checkpoint.signed_copy(), local_head_seq=checkpoint.seq - 3,
                                       reason="测试恢复")
    details = {**marker.details, "gap_from": checkpoint.seq - 5}  # claims a bigger loss than was signed
    _sql("UPDATE core_auditevent SET details = %s WHERE seq = %s", [json.dumps(details), marker.seq])

    problems = _verify_problems()

    assert problems and problems[0].startswith(f"seq={checkpoint.seq - 2}：缺少序号")


# ---------------------------------------------------------------- the public page
def test_the_transparency_page_shows_checkpoints_and_the_public_key_without_login(
        executing, client, django_capture_on_commit_callbacks):
    checkpoint = _checkpoint(django_capture_on_commit_callbacks)

    response = client.get(reverse("transparency:index"))

    assert response.status_code == 200
    page = response.content.decode()
    assert checkpoint.row_hash in page
    assert checkpoint.key_id in page
    assert "审计透明度" in page


def test_the_feed_carries_each_signed_copy(executing, client, django_capture_on_commit_callbacks):
    checkpoint = _checkpoint(django_capture_on_commit_callbacks)

    response = client.get(reverse("transparency:feed"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert checkpoint.signature in response.content.decode()


def test_one_checkpoint_downloads_as_its_signed_copy(executing, client, django_capture_on_commit_callbacks):
    checkpoint = _checkpoint(django_capture_on_commit_callbacks)

    copy = client.get(reverse("transparency:checkpoint", args=[checkpoint.pk])).json()

    assert verify(copy["document"], copy["signature"]) is None


def test_the_transparency_page_has_a_fixed_number_of_queries(executing, client, django_assert_max_num_queries,
                                                            django_capture_on_commit_callbacks):
    for _n in range(3):
        _checkpoint(django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(4):
        client.get(reverse("transparency:index"))


def test_sign_names_the_current_key():
    signature = sign({"a": 1})
    assert signature.algorithm == "Ed25519" and len(signature.key_id) == 16


def test_next_in_sequence_still_counts_without_gaps(executing):
    body = DisclosureSequence.objects.get().body
    last = DisclosureSequence.objects.get().last

    assert next_in_sequence(DisclosureSequence, body=body, year=2026) == last + 1


def test_a_missing_signing_key_is_a_system_check_warning(settings):
    from core.checks import signing_key_configured

    settings.DEBUG, settings.HUZHOU_SIGNING_KEY = False, ""
    assert [warning.id for warning in signing_key_configured(None)] == ["core.W001"]
    settings.HUZHOU_SIGNING_KEY = "8tLzwXJgabr/JmxXcBUpMocuXW770TBPnmOD4dmMbEI="
    assert signing_key_configured(None) == []
