"""Archive packages (决策档案, 案卷): one signed zip per archived record, the same permission as
the record, checkable offline with ``verify_archive``."""
from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from core.archive import verify_package
from core.models import AuditEvent
from core.signing import public_key_text, signing_public_key
from decisions.workflow import DecisionStatus as S
from enforcement.workflow import CaseStatus
from normative_docs.workflow import DocumentStatus
from tests import factories
from tests.api_support import api, assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _may_2026():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


@pytest.fixture
def archived(staff_user, office_user):
    return factories.decision_in_state(S.ARCHIVED, staff_user=staff_user, office_user=office_user)


def _package(response) -> zipfile.ZipFile:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def _download(user, decision):
    return api(user).get(reverse("decisions-api:decision-archive-package", kwargs={"pk": decision.pk}))


def test_an_archived_decision_downloads_as_one_signed_zip(archived, staff_user):
    package = _package(_download(staff_user, archived))

    names = set(package.namelist())
    assert {"manifest.json", "record.html", "audit.json"} <= names
    evidence = [name for name in names if name.startswith("evidence/")]
    assert evidence == ["evidence/001-evidence.pdf"]
    manifest = json.loads(package.read("manifest.json"))
    assert manifest["object"] == {"type": "decisions.decision", "id": archived.pk, "title": archived.title}
    assert {entry["path"]: entry["sha256"] for entry in manifest["files"]} == {
        name: hashlib.sha256(package.read(name)).hexdigest() for name in names - {"manifest.json"}}
    assert manifest["signature"]["algorithm"] == "Ed25519"


def test_the_package_holds_the_record_the_evidence_and_the_audit_excerpt(archived, staff_user):
    package = _package(_download(staff_user, archived))

    record = package.read("record.html").decode()
    assert archived.title in record
    assert "法定程序记录" in record and "已归档" in record
    assert package.read("evidence/001-evidence.pdf").startswith(b"%PDF")
    audit = json.loads(package.read("audit.json"))
    assert [row["action"] for row in audit][-1] == "archive"
    assert all(row["object_id"] == str(archived.pk) for row in audit)


def test_the_download_is_recorded_in_the_audit_trail(archived, staff_user):
    response = _download(staff_user, archived)

    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.actor, event.object_id) == ("archive_package_download", staff_user, str(archived.pk))
    assert event.details["sha256"] == hashlib.sha256(response.content).hexdigest()


def test_a_decision_not_yet_archived_has_no_package(staff_user):
    decision = factories.decision_in_state(S.CONSULTING, staff_user=staff_user)

    assert_error(_download(staff_user, decision), 409, "not_archived", "决策归档后方可下载决策档案。")


def test_staff_of_another_department_get_404(archived, other_staff_user):
    assert _download(other_staff_user, archived).status_code == 404


def test_verify_archive_accepts_an_untouched_package(archived, staff_user, tmp_path):
    path = tmp_path / "package.zip"
    path.write_bytes(_download(staff_user, archived).content)
    out = StringIO()

    call_command("verify_archive", str(path), "--public-key", public_key_text(signing_public_key()), stdout=out)

    assert out.getvalue().startswith(f"OK 重大行政决策 #{archived.pk}「{archived.title}」：")


def _rewrite(content: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    files = {name: source.read(name) for name in source.namelist()}
    change(files)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name, data in files.items():
            target.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(("change", "problem"), [
    (lambda files: files.__setitem__("evidence/001-evidence.pdf", b"%PDF-1.4 forged"),
     "evidence/001-evidence.pdf：SHA-256 与清单不符（被改动）"),
    (lambda files: files.pop("evidence/001-evidence.pdf"), "evidence/001-evidence.pdf：清单中有、包中缺失（被删除）"),
    (lambda files: files.__setitem__("evidence/999-extra.pdf", b"%PDF"), "evidence/999-extra.pdf：不在清单中（被添加）"),
    (lambda files: files.__setitem__("manifest.json", files["manifest.json"].replace(b'"kind": "decision"',
                                                                                     b'"kind": "decisio"')),
     "清单签名：签名无效（内容被改动，或不是用该密钥签署的）"),
], ids=["changed-file", "removed-file", "added-file", "changed-manifest"])
def test_verify_archive_finds_every_change(archived, staff_user, tmp_path, change, problem):
    path = tmp_path / "package.zip"
    path.write_bytes(_rewrite(_download(staff_user, archived).content, change))

    with pytest.raises(CommandError) as error:
        call_command("verify_archive", str(path), stdout=StringIO())

    assert problem in str(error.value)


def test_a_changed_audit_row_in_the_package_is_found_even_with_a_matching_manifest(archived, staff_user):
    """Someone re-hashes audit.json into the manifest: the signature then fails, and the row too."""
    content = _download(staff_user, archived).content

    def change(files):
        rows = json.loads(files["audit.json"])
        rows[0]["reason"] = "篡改"
        files["audit.json"] = json.dumps(rows).encode()

    _manifest, problems = verify_package(_rewrite(content, change))

    assert f"audit.json：seq={json.loads(zipfile.ZipFile(io.BytesIO(content)).read('audit.json'))[0]['seq']} 的行哈希不符" \
        in problems


def test_a_package_signed_by_an_unknown_key_is_refused(archived, staff_user):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = Ed25519PrivateKey.generate().public_key()
    from core.signing import key_id_of

    _manifest, problems = verify_package(_download(staff_user, archived).content, keys={key_id_of(other): other})

    assert problems and "不在受信任的公钥中" in problems[0]


def test_the_staff_page_offers_the_download_for_an_archived_decision(archived, staff_user, client):
    client.force_login(staff_user)

    page = client.get(reverse("decisions:detail", args=[archived.pk])).content.decode()
    url = reverse("workbench:archive-package", args=["decision", archived.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="decision-{archived.pk}-archive.zip"'


def test_the_staff_page_of_a_running_decision_has_no_download(staff_user, client):
    decision = factories.decision_in_state(S.CONSULTING, staff_user=staff_user)
    client.force_login(staff_user)

    page = client.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    assert 'data-testid="archive-package"' not in page


def test_a_published_normative_document_downloads_its_case_file(db):
    document = factories.normative_document_in_state(DocumentStatus.PUBLISHED)
    user = document.created_by

    package = _package(api(user).get(reverse("normative-api:document-archive-package", kwargs={"pk": document.pk})))

    assert "起草程序记录" in package.read("record.html").decode()
    assert verify_package(b"" + api(user).get(reverse("normative-api:document-archive-package",
                                                      kwargs={"pk": document.pk})).content)[1] == []


def test_an_archived_enforcement_case_file_masks_the_party_id(db):
    case = factories.case_in_state(CaseStatus.ARCHIVED)
    officer = case.created_by

    package = _package(api(officer).get(reverse("enforcement-api:case-archive-package", kwargs={"pk": case.pk})))

    record = package.read("record.html").decode()
    assert "全过程记录" in record
    assert case.party_id_number not in record
    assert case.party_id_number[:6] in record
    assert verify_package(base64.b64decode(base64.b64encode(package.fp.getvalue())))[1] == []
