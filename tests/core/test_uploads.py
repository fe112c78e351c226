"""Uploads that leave nothing behind: staged until commit, removed on rollback, a full disk is a
clear message, and ``find_orphan_files`` finds what a killed process left."""
from __future__ import annotations

import errno
import json
import os
import time
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from core import storage
from core.models import Attachment
from core.services import attachment_add, attachment_path
from decisions.models import Decision, ProcedureRecord
from decisions.workflow import Procedure
from tests import factories
from tests.api_support import api


@pytest.fixture(autouse=True)
def _may_2026():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=True):
        yield


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _consulting_decision(staff_user) -> Decision:
    client = api(staff_user)
    decision_id = client.post(reverse("decisions-api:decision-list"), {
        "title": "湖州市城市公共交通票价调整方案", "summary": "调整公交基础票价。", "draft_text": "第一条 ……",
        "outside_catalog_reason": "上级部署的临时性重大事项。", "category": "public_policy",
        "required_procedures": [Procedure.PUBLIC_COMMENT]}, format="json").json()["id"]
    client.post(reverse("decisions-api:decision-start-procedures", kwargs={"pk": decision_id}), {}, format="json")
    return Decision.objects.get(pk=decision_id)


def _upload(staff_user, decision, files):
    return api(staff_user).post(
        reverse("decisions-api:decision-procedures", kwargs={"pk": decision.pk}),
        {"kind": Procedure.PUBLIC_COMMENT, "details": json.dumps(factories.PUBLIC_COMMENT_DETAILS), "files": files},
        format="multipart")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_committed_upload_is_in_place_and_nothing_is_left_staged(staff_user, settings):
    decision = _consulting_decision(staff_user)

    response = _upload(staff_user, decision, [factories.pdf_file()])

    assert response.status_code == 201
    stored = Attachment.objects.get().stored_path
    assert _files(Path(settings.PRIVATE_MEDIA_ROOT)) == [stored]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_valid_file_beside_a_rejected_one_leaves_nothing_on_disk(staff_user, settings):
    decision = _consulting_decision(staff_user)
    bad = SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>", content_type="application/pdf")

    response = _upload(staff_user, decision, [factories.pdf_file(), bad])

    assert response.status_code == 400
    assert not Attachment.objects.exists()
    assert not ProcedureRecord.objects.exists()
    assert _files(Path(settings.PRIVATE_MEDIA_ROOT)) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_full_disk_is_a_clear_message_and_leaves_nothing(staff_user, settings, monkeypatch):
    decision = _consulting_decision(staff_user)

    def disk_full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage, "_write_chunk", disk_full)

    response = _upload(staff_user, decision, [factories.pdf_file()])

    assert response.status_code == 507
    assert response.json() == {
        "code": "storage_full", "details": [],
        "message": "服务器存储空间已满，文件未能保存，本次提交没有生效。请联系系统管理员清理空间后重试。"}
    assert not Attachment.objects.exists()
    assert _files(Path(settings.PRIVATE_MEDIA_ROOT)) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_full_disk_on_the_staff_page_shows_the_message(staff_user, client, monkeypatch):
    decision = _consulting_decision(staff_user)
    monkeypatch.setattr(storage, "_write_chunk", lambda fd, data: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    client.force_login(staff_user)

    response = client.post(reverse("decisions:procedure", args=[decision.pk, Procedure.PUBLIC_COMMENT]),
                           {**factories.PUBLIC_COMMENT_DETAILS, "files": factories.pdf_file()})

    assert response.status_code == 400
    assert "服务器存储空间已满，文件未能保存" in response.content.decode()
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_within_its_transaction_the_row_reads_its_staged_file(staff_user):
    subject = staff_user.department
    with transaction.atomic():
        attachment = attachment_add(subject=subject, uploaded_file=factories.pdf_file(), actor=staff_user)
        assert attachment_path(attachment).read_bytes().startswith(b"%PDF")
        assert storage.STAGING in attachment_path(attachment).as_posix()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_transaction_discards_its_staged_file_at_the_end_of_the_request(staff_user, settings):
    with pytest.raises(RuntimeError), transaction.atomic():
        attachment_add(subject=staff_user.department, uploaded_file=factories.pdf_file(), actor=staff_user)
        raise RuntimeError("the business transaction fails after the upload")
    assert len(_files(Path(settings.PRIVATE_MEDIA_ROOT))) == 1  # still staged until the request ends

    from django.core.signals import request_finished

    request_finished.send(sender=None)

    assert _files(Path(settings.PRIVATE_MEDIA_ROOT)) == []


@pytest.mark.django_db
def test_find_orphan_files_lists_and_deletes_files_without_a_row(staff_user, settings):
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    with transaction.atomic():
        kept = attachment_add(subject=staff_user.department, uploaded_file=factories.pdf_file(), actor=staff_user)
    storage._move_into_place((storage.staged_path(kept.stored_path), storage.final_path(kept.stored_path)))
    (root / "2026/05").mkdir(parents=True, exist_ok=True)
    (root / "2026/05/lost.pdf").write_bytes(b"%PDF-1.4 orphan")
    (root / storage.STAGING).mkdir(exist_ok=True)
    old, young = root / storage.STAGING / "old.part", root / storage.STAGING / "young.part"
    old.write_bytes(b"x")
    young.write_bytes(b"y")
    an_hour_ago = time.time() - 2 * 3600
    os.utime(old, (an_hour_ago, an_hour_ago))

    out = StringIO()
    call_command("find_orphan_files", stdout=out)
    assert "孤立文件：2026/05/lost.pdf" in out.getvalue()
    assert "孤立文件：.staging/old.part" in out.getvalue()
    assert "young.part" not in out.getvalue()
    assert out.getvalue().strip().endswith("找到孤立文件 2 个；缺少文件的附件记录 0 条")

    call_command("find_orphan_files", "--delete", stdout=StringIO())
    assert _files(root) == sorted([kept.stored_path, ".staging/young.part"])


@pytest.mark.django_db
def test_find_orphan_files_reports_rows_whose_file_is_missing(staff_user):
    with transaction.atomic():
        attachment = attachment_add(subject=staff_user.department, uploaded_file=factories.pdf_file(),
                                    actor=staff_user)
    storage.staged_path(attachment.stored_path).unlink()
    out = StringIO()

    call_command("find_orphan_files", stdout=out)

    assert f"缺少文件：附件 #{attachment.pk} evidence.pdf" in out.getvalue()
