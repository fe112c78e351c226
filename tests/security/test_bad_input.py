"""Bad input is a 400 with a clear message, never a 5xx (issue 13, point 7), starting with the
exact requests of the attacker's report."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.models import Attachment, AuditEvent
from decisions.workflow import DecisionStatus
from enforcement import services as es
from tests import factories
from tests.api_support import api, assert_error

pytestmark = pytest.mark.django_db

CONTROL_MESSAGE = "输入含有不允许的控制字符（如空字符、文字方向控制符），请删除后重新提交。"


@pytest.mark.parametrize("url", ["/api/v1/decisions/", "/api/v1/normative-documents/", "/api/v1/enforcement-cases/"])
def test_options_with_a_token_describes_the_list_view(staff_user, url):
    response = api(staff_user).options(url)
    assert response.status_code == 200, response.content
    assert {"GET", "POST"} <= set(response.json()["allowed_methods"])


def test_options_answers_on_every_api_route(staff_user):
    from django.urls import get_resolver

    from tests.security.routes import api_route_samples

    client = api(staff_user)
    failures = [(url, status) for url in api_route_samples(get_resolver())
                if (status := client.options(url).status_code) >= 500]
    assert failures == []


@pytest.mark.parametrize("url", ["/api/v1/decisions/?year=99999999999999999999",
                                 "/api/v1/enforcement-cases/?year=99999999999999999999",
                                 "/api/v1/decisions/?department=99999999999999999999",
                                 "/api/v1/normative-documents/?issuer=-1"])
def test_huge_or_negative_numbers_in_the_query_string_are_a_400(staff_user, url):
    response = api(staff_user).get(url)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"


def test_a_year_in_range_still_filters(staff_user):
    assert api(staff_user).get("/api/v1/decisions/?year=2026").status_code == 200


def test_nul_byte_in_json_details_is_a_400_naming_the_field(staff_user):
    decision = factories.decision_in_state(DecisionStatus.CONSULTING, staff_user=staff_user)
    response = api(staff_user).post(f"/api/v1/decisions/{decision.pk}/procedures/",
                                    {"kind": "public_participation", "details": {"summary": "公开征求意见\x00"}},
                                    format="json")
    assert_error(response, 400, "invalid_characters", CONTROL_MESSAGE)
    assert response.json()["details"] == ["details.summary：U+0000"]


def test_nul_byte_in_a_multipart_api_field_is_a_400_and_no_file_is_stored(staff_user):
    decision = factories.decision_in_state(DecisionStatus.CONSULTING, staff_user=staff_user)
    response = api(staff_user).post(f"/api/v1/decisions/{decision.pk}/procedures/",
                                    {"kind": "public_participation\x00", "files": [factories.pdf_file()]},
                                    format="multipart")
    assert_error(response, 400, "invalid_characters", CONTROL_MESSAGE)
    assert not Attachment.objects.filter(object_id=decision.pk, original_name="evidence.pdf").exists()


def test_control_character_in_a_query_string_is_a_400(staff_user):
    response = api(staff_user).get("/api/v1/decisions/?status=drafting%01")
    assert_error(response, 400, "invalid_characters", CONTROL_MESSAGE)


def test_nul_in_a_public_page_query_is_a_chinese_400_page(client):
    response = client.get("/search/?q=%E5%86%B3%E7%AD%96%00")
    assert response.status_code == 400
    assert CONTROL_MESSAGE in response.content.decode()


def test_nul_in_a_form_field_is_a_400_and_nothing_is_stored(client, staff_user):
    client.force_login(staff_user)
    response = client.post("/decisions/new/", {"title": "关于\x00的决策"})
    assert response.status_code == 400
    assert CONTROL_MESSAGE in response.content.decode()


@pytest.mark.parametrize("char", ["\u202e", "\u202d", "\u2066", "\u2069"])
def test_bidi_override_in_a_title_is_refused(staff_user, char):
    from decisions.models import Decision

    response = api(staff_user).post("/api/v1/decisions/", {"title": f"关于{char}txt.exe的决策"}, format="json")
    assert_error(response, 400, "invalid_characters", CONTROL_MESSAGE)
    assert not Decision.objects.filter(title__contains=char).exists()


def test_bidi_override_in_a_party_name_is_refused(client):
    officer = factories.enforcement_officer()
    response = api(officer).post("/api/v1/enforcement-cases/", {**factories.CASE_CLUE, "party_name": "张\u202e三"},
                                 format="json")
    assert_error(response, 400, "invalid_characters", CONTROL_MESSAGE)


def test_tabs_and_line_breaks_are_still_accepted(staff_user):
    response = api(staff_user).get("/api/v1/decisions/?status=")
    assert response.status_code == 200
    from core.input_guard import forbidden_characters

    assert forbidden_characters("第一段\r\n第二段\t完") == ""


def test_a_huge_year_in_the_public_search_is_a_400():
    response = api().get("/api/v1/public/search/?q=决策&year=99999999999999999999")
    assert response.status_code == 400


def test_enforcement_evidence_download_works_and_is_audited(client):
    case = factories.case_in_state("investigating")
    officer = case.officers.first()
    entry = es.case_add_record(actor=officer, case_id=case.pk, kind="evidence", happened_at=timezone.now(),
                               place="当事人经营场所", summary="现场检查。",
                               officer_ids=list(case.officers.values_list("pk", flat=True)),
                               files=[SimpleUploadedFile("现场.pdf", factories.PDF_BYTES)])
    attachment = Attachment.objects.get(object_id=entry.pk, original_name="现场.pdf")
    client.force_login(officer)
    response = client.get(f"/work/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == factories.PDF_BYTES
    assert AuditEvent.objects.filter(action="attachment_download", actor_id=officer.pk).exists()


def test_normative_document_evidence_download_works(client):
    from django.db import transaction

    from core.services import attachment_add

    document = factories.normative_document_in_state("drafting")
    with transaction.atomic():
        attachment = attachment_add(subject=document, uploaded_file=factories.pdf_file("起草说明.pdf"),
                                    actor=document.created_by)
    client.force_login(document.created_by)
    response = client.get(f"/work/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="attachment_download", actor_id=document.created_by.pk).exists()
