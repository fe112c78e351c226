"""In a real browser: staff download the archive package of an archived decision from its page,
and it verifies offline; anyone reads the signed checkpoints on the transparency page."""
import pytest
import time_machine
from django.db import transaction
from playwright.sync_api import expect

from core.archive import verify_package
from core.checkpoints import checkpoint_create
from decisions.workflow import DecisionStatus
from tests import factories
from tests.browser.helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@time_machine.travel("2026-05-11 10:00 +0800", tick=True)
def test_staff_download_the_archive_package_from_the_decision_page(page, live_server, tmp_path):
    staff = factories.staff("hz-drc", username="b_staff", full_name="张承办")
    decision = factories.decision_in_state(DecisionStatus.ARCHIVED, staff_user=staff)

    login(page, live_server, "b_staff")
    page.goto(f"{live_server.url}/decisions/{decision.pk}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载决策档案（ZIP）").click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)

    manifest, problems = verify_package(saved.read_bytes())
    assert problems == []
    assert manifest["object"]["title"] == decision.title


@time_machine.travel("2026-05-11 10:00 +0800", tick=True)
def test_anyone_reads_the_signed_checkpoints_on_the_transparency_page(page, live_server):
    factories.decision_in_state(DecisionStatus.EXECUTING)
    with transaction.atomic():
        checkpoint = checkpoint_create(force=True)

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="审计透明度").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("审计透明度")
    expect(page.get_by_text(checkpoint.row_hash).first).to_be_visible()
    expect(page.get_by_role("link", name="检查点订阅（Atom）")).to_be_visible()
