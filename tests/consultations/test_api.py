"""The public consultations API (``/api/v1/public/consultations/``): what the pages show, no more."""
import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from consultations import services
from decisions.workflow import Disclosure
from tests.api_support import api

from .conftest import (
    AFTER_CLOSING,
    open_decision_consultation,
    open_document_consultation,
)


def detail_url(pk: int) -> str:
    return reverse("consultations-api:public-detail", args=[pk])


def test_the_detail_shows_approved_comments_without_contact_details(consultation, staff_user):
    shown = services.comment_submit(consultation_id=consultation.pk, body="建议增加夜间公交班次。", name="王先生",
                                    email="wang@example.com", client_address="203.0.113.7")
    services.comment_moderate(actor=staff_user, comment_id=shown.pk, approve=True)
    services.comment_submit(consultation_id=consultation.pk, body="尚未审核的意见。", client_address="203.0.113.8")

    body = api().get(detail_url(consultation.pk)).json()

    assert body["closing_time"] == "2026年6月10日24时" and body["status"] == "open"
    assert [(c["name"], c["body"]) for c in body["comments"]] == [("王先生", "建议增加夜间公交班次。")]
    assert "wang@example.com" not in str(body) and "email" not in body["comments"][0]


def test_dispositions_appear_only_with_the_published_summary(consultation, staff_user):
    shown = services.comment_submit(consultation_id=consultation.pk, body="建议增加夜间公交班次。",
                                    client_address="203.0.113.7")
    services.comment_moderate(actor=staff_user, comment_id=shown.pk, approve=True)
    with time_machine.travel(AFTER_CLOSING, tick=False):
        services.comment_dispose(actor=staff_user, comment_id=shown.pk, disposition="adopted")
        assert api().get(detail_url(consultation.pk)).json()["comments"][0]["disposition"] == ""
        services.consultation_publish_summary(actor=staff_user, consultation_id=consultation.pk, summary="采纳1条。")
        assert api().get(detail_url(consultation.pk)).json()["comments"][0]["disposition"] == "adopted"


def test_a_withheld_decisions_consultation_is_404_and_not_listed(staff_user):
    withheld = open_decision_consultation(staff_user, disclosure=Disclosure.WITHHELD,
                                          withheld_reason="涉及国家秘密，依法不予公开。")
    assert api().get(detail_url(withheld.pk)).status_code == 404
    assert api().get(reverse("consultations-api:public-list")).json()["count"] == 0


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_runs_a_fixed_number_of_queries(staff_user, django_assert_max_num_queries, rows):
    for i in range(rows):
        open_document_consultation(staff_user, title=f"文件{i}")
    cache.clear()  # the anonymous API throttle is not what this test is about
    with django_assert_max_num_queries(2):  # count, page
        response = api().get(reverse("consultations-api:public-list"), {"page_size": 100})
    assert response.json()["count"] == rows


def test_the_schema_documents_the_public_endpoints():
    schema = api().get(reverse("api-schema"), {"format": "json"}).json()
    assert "/api/v1/public/consultations/" in schema["paths"]
    assert "/api/v1/public/consultations/{id}/" in schema["paths"]
