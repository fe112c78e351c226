"""The contract text (合同文本) and attachments (合同附件): the contracting unit uploads them through
the shared attachment checks, on the page and through the API; they are seen and downloaded with
the contract's own scoping, and every upload and download is in the contract's record."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts import services
from core.exceptions import DomainError
from core.models import Attachment, AuditEvent
from tests import factories
from tests.api_support import api
from tests.contracts.helpers import TOWNSHIP, drafted
from tests.factories import PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return factories.staff(TOWNSHIP)


@pytest.fixture
def contract(staff):
    return drafted(staff)


def upload(client, contract, *files, kind="contract_text"):
    return client.post(reverse("contracts:attachments", args=[contract.pk]), {"kind": kind, "files": list(files)})


def fake_pdf(name="合同.pdf"):
    return SimpleUploadedFile(name, b"this is not a pdf", content_type="application/pdf")


# ================================================================== page
def test_the_contracting_unit_uploads_the_contract_text_and_sees_it_listed_by_its_kind(client, staff, contract):
    client.force_login(staff)
    response = upload(client, contract, factories.pdf_file("租赁合同文本.pdf"))
    assert response.status_code == 302
    attachment = contract.attachments.get()
    assert (attachment.original_name, attachment.purpose) == ("租赁合同文本.pdf", "contract_text")
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "合同文本：" in page and "租赁合同文本.pdf" in page
    assert reverse("workbench:attachment-download", args=[attachment.pk]) in page
    assert "contract_text" not in page.replace('value="contract_text"', "")  # the kind by its name, not its code


def test_an_upload_is_in_the_contract_s_record(client, staff, contract):
    client.force_login(staff)
    upload(client, contract, factories.pdf_file("附件一.pdf"), kind="contract_annex")
    event = AuditEvent.objects.get(action="attachment_upload", object_id=str(contract.pk))
    assert event.details["name"] == "附件一.pdf"


def test_a_file_whose_content_is_not_its_extension_is_refused_with_a_chinese_message(client, staff, contract):
    client.force_login(staff)
    response = upload(client, contract, fake_pdf())
    assert response.status_code == 302
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "文件内容与扩展名不符。" in page
    assert not Attachment.objects.exists()


def test_one_bad_file_stores_none_of_the_files_sent_with_it(staff, contract):
    with pytest.raises(DomainError) as error:
        services.contract_attach(actor=staff, contract_id=contract.pk, kind="contract_annex",
                                 files=[factories.pdf_file("好的.pdf"), fake_pdf("坏的.pdf")])
    assert error.value.messages == ["文件内容与扩展名不符。"]
    assert not Attachment.objects.exists()  # the service's transaction rolled the first file back


def test_a_unit_that_does_not_see_the_contract_gets_404_and_one_that_sees_it_but_does_not_hold_it_403(
        client, contract):
    client.force_login(factories.staff("wuxing-balidian"))
    assert upload(client, contract, factories.pdf_file()).status_code == 404
    client.force_login(factories.supervisor())
    assert upload(client, contract, factories.pdf_file()).status_code == 403
    assert not Attachment.objects.exists()


# ================================================================== download
@pytest.fixture
def text(staff, contract):
    return services.contract_attach(actor=staff, contract_id=contract.pk, kind="contract_text",
                                    files=[factories.pdf_file("合同文本.pdf")])[0]


def test_the_contracting_unit_downloads_the_text_and_the_download_is_recorded(client, staff, contract, text):
    client.force_login(staff)
    response = client.get(reverse("workbench:attachment-download", args=[text.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert AuditEvent.objects.filter(action="attachment_download", object_id=str(contract.pk),
                                     actor_id=staff.pk).count() == 1


@pytest.mark.parametrize(("who", "status"), [("other_township", 404), ("city_staff", 404), ("supervisor", 200),
                                             ("township_head", 200)])
def test_a_contract_s_files_are_downloaded_by_those_who_see_the_contract_only(client, text, who, status):
    user = {"other_township": lambda: factories.staff("wuxing-balidian"),
            "city_staff": lambda: factories.staff("hz-drc"),
            "supervisor": factories.supervisor,
            "township_head": lambda: factories.UserFactory(department=factories.department(TOWNSHIP),
                                                           roles=["head"])}[who]()
    client.force_login(user)
    assert client.get(reverse("workbench:attachment-download", args=[text.pk])).status_code == status
    assert AuditEvent.objects.filter(action="attachment_download").exists() is (status == 200)


def test_anonymous_download_of_a_contract_file_redirects_to_login(client, text):
    assert client.get(reverse("workbench:attachment-download", args=[text.pk])).status_code == 302


# ================================================================== API
def test_the_api_takes_the_text_as_multipart_and_lists_it_with_its_kind(staff, contract):
    response = api(staff).post(f"/api/v1/contracts/{contract.pk}/attachments/",
                               {"kind": "contract_text", "files": [factories.pdf_file("合同文本.pdf")]},
                               format="multipart")
    assert response.status_code == 200, response.content.decode()
    [attachment] = response.json()["attachments"]
    assert (attachment["kind"], attachment["kind_display"], attachment["original_name"]) == (
        "contract_text", "合同文本", "合同文本.pdf")
    assert attachment["download_url"] == reverse("workbench:attachment-download", args=[attachment["id"]])


def test_the_api_refuses_a_bad_file_with_the_error_body(staff, contract):
    response = api(staff).post(f"/api/v1/contracts/{contract.pk}/attachments/",
                               {"kind": "contract_annex", "files": [fake_pdf()]}, format="multipart")
    assert response.status_code == 400
    assert response.json()["message"] == "文件内容与扩展名不符。"
    assert not Attachment.objects.exists()


def test_the_api_answers_404_to_a_unit_that_does_not_see_the_contract(contract):
    response = api(factories.staff("wuxing-balidian")).post(
        f"/api/v1/contracts/{contract.pk}/attachments/", {"kind": "contract_text", "files": [factories.pdf_file()]},
        format="multipart")
    assert response.status_code == 404
    assert not Attachment.objects.exists()
