"""The public library's API (``/api/v1/public/normative-documents/``): anyone may read what
the library shows — published documents only — with the same filters and a fixed query count."""
from __future__ import annotations

import pytest
import time_machine
from django.core.cache import cache
from django.forms.models import model_to_dict
from django.urls import reverse

from normative_docs.models import NormativeDocument
from normative_docs.workflow import DocumentStatus as N
from tests import factories
from tests.api_support import api

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _may_2026():
    cache.clear()
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


def list_url() -> str:
    return reverse("normative-api:public-document-list")


def detail_url(pk: int) -> str:
    return reverse("normative-api:public-document-detail", args=[pk])


def copies_of(document: NormativeDocument, count: int) -> None:
    """Published siblings of ``document`` with their own numbers, for counting queries."""
    fields = {k: v for k, v in model_to_dict(document, exclude=["id"]).items()}
    fields.update(issuer_id=fields.pop("issuer"), drafting_department_id=fields.pop("drafting_department"),
                  filing_body_id=fields.pop("filing_body"), created_by_id=fields.pop("created_by"))
    NormativeDocument.objects.bulk_create([
        NormativeDocument(**{**fields, "number": f"湖发改规〔2026〕{100 + n}号",
                             "number_normalized": f"湖发改规[2026]{100 + n}号",
                             "registration_number": f"ZJHR-2026-{900 + n}"}) for n in range(count)])


def test_anyone_reads_a_published_document_without_an_account():
    document = factories.normative_document_in_state(N.PUBLISHED)
    body = api().get(detail_url(document.pk)).json()
    assert body["title"] == document.title
    assert body["number"] == document.number
    assert body["public_status_display"] in {"有效", "尚未生效"}


@pytest.mark.parametrize("state", [N.DRAFTING, N.LEGALITY_REVIEW])
def test_an_unpublished_document_is_404_and_never_listed(state):
    draft = factories.normative_document_in_state(state, title="尚未公布的办法")
    assert api().get(detail_url(draft.pk)).status_code == 404
    assert api().get(list_url()).json()["count"] == 0


def test_the_list_finds_a_document_by_its_number_in_another_bracket_style():
    document = factories.normative_document_in_state(N.PUBLISHED)
    number = document.number.replace("〔", "[").replace("〕", "]")
    results = api().get(list_url(), {"q": number}).json()["results"]
    assert [r["id"] for r in results] == [document.pk]


def test_a_bad_filter_is_refused_with_the_error_body():
    response = api().get(list_url(), {"status": "nonsense"})
    assert response.status_code == 400
    assert "status" in str(response.json())


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_runs_a_fixed_number_of_queries(rows, django_assert_max_num_queries):
    copies_of(factories.normative_document_in_state(N.PUBLISHED), rows - 1)
    with django_assert_max_num_queries(2):  # count, page
        response = api().get(list_url(), {"page_size": 100})
    assert response.json()["count"] == rows


def test_the_schema_documents_the_public_endpoints():
    schema = api().get(reverse("api-schema"), {"format": "json"}).json()
    assert "/api/v1/public/normative-documents/" in schema["paths"]
    assert "/api/v1/public/normative-documents/{id}/" in schema["paths"]
