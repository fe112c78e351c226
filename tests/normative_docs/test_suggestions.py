"""Review suggestions (审查建议): anyone sends one about a public document, it gets a
gap-free number and a tracking code; the filing body's reviewers answer it."""
import datetime as dt
from urllib.parse import quote

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from core.exceptions import DomainError, InvalidState
from core.models import AuditEvent
from deadlines.models import Notification
from normative_docs import suggestions
from normative_docs.models import ReviewSuggestion, SuggestionSequence
from normative_docs.workflow import DocumentStatus as N
from tests import factories
from tests.normative_docs.test_library import public_document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today_and_empty_cache():
    cache.clear()
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield
    cache.clear()


def submit(document, *, content="第五条设定的备案要求没有法律依据，建议审查。", client_key="10.0.0.1", **kwargs):
    return suggestions.suggestion_submit(document_id=document.pk, name=kwargs.get("name", "张三"),
                                         contact=kwargs.get("contact", "13800000000"), content=content,
                                         client_key=client_key)


def district_reviewer():
    """A reviewer of 吴兴区, the filing body of its townships — not of city departments."""
    return factories.UserFactory(department=factories.department("wuxing"), roles=["reviewer"])


def suggestion_for(document, number="审建〔2026〕1号", **fields):
    return ReviewSuggestion.objects.create(number=number, tracking_code="ABCDEFGH23", document=document,
                                           content="建议审查。", **fields)


# ================================================================== submitting
def test_suggestions_are_numbered_per_year_without_gaps():
    document = public_document()
    first, second = submit(document), submit(document, client_key="10.0.0.2")
    assert (first.number, second.number) == ("审建〔2026〕1号", "审建〔2026〕2号")
    assert len(first.tracking_code) == 10 and first.tracking_code != second.tracking_code
    assert first.status == ReviewSuggestion.Status.RECEIVED


def test_number_ten_follows_nine():
    document = public_document()
    SuggestionSequence.objects.create(year=2026, last=9)  # nine numbers given this year
    assert submit(document).number == "审建〔2026〕10号"
    assert submit(document, client_key="10.0.0.2").number == "审建〔2026〕11号"


def test_a_rolled_back_submission_does_not_use_up_a_number():
    document = public_document()
    with pytest.raises(RuntimeError), transaction.atomic():
        submit(document)
        raise RuntimeError("the request fails after the suggestion was numbered")
    assert submit(document).number == "审建〔2026〕1号"


def test_numbering_starts_again_each_year():
    document = public_document()
    suggestion_for(document, number="审建〔2025〕37号")
    assert submit(document).number == "审建〔2026〕1号"


def test_submitting_notifies_the_filing_bodys_reviewers_only(reviewer_user):
    document = public_document()
    outsider = district_reviewer()

    suggestion = submit(document)

    notes = Notification.objects.filter(title__contains=suggestion.number)
    assert [n.recipient for n in notes] == [reviewer_user]
    assert notes[0].url == reverse("normative_docs:suggestion-detail", args=[suggestion.pk])
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_submitting_is_audited():
    suggestion = submit(public_document())
    event = AuditEvent.objects.get(action="suggestion_submit")
    assert (event.object_id, event.actor_id, event.details["number"]) == (str(suggestion.pk), None, "审建〔2026〕1号")


def test_content_is_required():
    with pytest.raises(DomainError) as error:
        submit(public_document(), content="  ")
    assert error.value.messages == ["请填写审查建议的内容。"]


def test_content_has_a_maximum_length():
    with pytest.raises(DomainError) as error:
        submit(public_document(), content="字" * 5001)
    assert error.value.messages == ["审查建议不能超过5000字。"]


@pytest.mark.parametrize("state", [N.DRAFTING, N.REGISTERED])
def test_no_suggestion_about_an_unpublished_document(state):
    document = public_document(status=state, number="湖发改规〔2026〕98号" if state == N.REGISTERED else "")
    with pytest.raises(DomainError) as error:
        submit(document)
    assert error.value.messages == ["只能对已公布的规范性文件提出审查建议。"]
    assert not ReviewSuggestion.objects.exists()


def test_at_most_five_suggestions_per_client_per_hour():
    document = public_document()
    for _i in range(5):
        submit(document)
    with pytest.raises(DomainError) as error:
        submit(document)
    assert error.value.messages == ["提交过于频繁：每小时最多提交5条审查建议，请稍后再试。"]
    assert ReviewSuggestion.objects.count() == 5
    assert submit(document, client_key="10.0.0.9").number == "审建〔2026〕6号"  # another client


def test_the_limit_lifts_after_an_hour():
    document = public_document()
    for _i in range(5):
        submit(document)
    cache.delete(suggestions._rate_key("10.0.0.1"))  # what the cache does when the hour is over
    assert submit(document).number == "审建〔2026〕6号"


# ================================================================== the public pages
def test_public_submits_from_the_library_and_lands_on_the_tracking_page(client):
    document = public_document()
    response = client.post(reverse("library:suggest", args=[document.pk]),
                           {"name": "李四", "contact": "", "content": "建议审查第三条。", "homepage": ""})
    suggestion = ReviewSuggestion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == (reverse("library:suggestion-track", args=[suggestion.number])
                                    + f"?code={suggestion.tracking_code}")
    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert "审建〔2026〕1号" in body and suggestion.tracking_code in body and "已收到" in body


def test_honeypot_filled_in_creates_nothing(client):
    document = public_document()
    response = client.post(reverse("library:suggest", args=[document.pk]),
                           {"name": "bot", "content": "spam", "homepage": "http://spam.example"})
    assert response.status_code == 400
    assert "提交未成功，请刷新页面后重试。" in response.content.decode()
    assert not ReviewSuggestion.objects.exists()
    assert not Notification.objects.exists()


def test_rate_limit_is_shown_on_the_page(client):
    document = public_document()
    for _i in range(5):
        submit(document, client_key="127.0.0.1")
    response = client.post(reverse("library:suggest", args=[document.pk]), {"content": "再提一条。"})
    assert response.status_code == 400
    assert "每小时最多提交5条审查建议" in response.content.decode()


def test_suggesting_about_an_unpublished_document_is_404(client):
    document = public_document(status=N.DRAFTING)
    response = client.post(reverse("library:suggest", args=[document.pk]), {"content": "建议审查。"})
    assert response.status_code == 404
    assert not ReviewSuggestion.objects.exists()


def test_tracking_with_a_wrong_code_is_404_like_a_missing_number(client):
    suggestion = submit(public_document())
    wrong = client.get(reverse("library:suggestion-track", args=[suggestion.number]) + "?code=WRONGCODE2")
    missing = client.get(reverse("library:suggestion-track", args=["审建〔2026〕99号"]) + "?code=WRONGCODE2")
    assert wrong.status_code == missing.status_code == 404
    assert wrong.content == missing.content


def test_tracking_without_a_code_asks_for_it(client):
    suggestion = submit(public_document())
    response = client.get(reverse("library:suggestion-track", args=[suggestion.number]))
    assert response.status_code == 200
    assert suggestion.content not in response.content.decode()


def test_tracking_code_is_accepted_in_lower_case(client):
    suggestion = submit(public_document())
    url = reverse("library:suggestion-track", args=[suggestion.number]) + f"?code={suggestion.tracking_code.lower()}"
    assert client.get(url).status_code == 200


def test_lookup_form_redirects_to_the_tracking_page(client):
    suggestion = submit(public_document())
    response = client.get(reverse("library:suggestion-lookup"), {"number": suggestion.number,
                                                                  "code": suggestion.tracking_code})
    assert response.status_code == 302
    assert response["Location"] == f"/library/suggestions/{quote(suggestion.number)}/?code={suggestion.tracking_code}"


# ================================================================== answering
def test_filing_body_reviewer_answers_and_the_public_sees_it(client, reviewer_user):
    suggestion = submit(public_document())

    suggestions.suggestion_answer(actor=reviewer_user, suggestion_id=suggestion.pk, answer="经审查，第五条已责令修改。")

    answered = ReviewSuggestion.objects.get(pk=suggestion.pk)
    assert (answered.status, answered.answered_on, answered.answered_by) == ("answered", dt.date(2026, 5, 11),
                                                                            reviewer_user)
    assert AuditEvent.objects.filter(action="suggestion_answer", actor_id=reviewer_user.pk).exists()
    page = client.get(reverse("library:suggestion-track", args=[suggestion.number])
                      + f"?code={suggestion.tracking_code}")
    body = page.content.decode()
    assert "已答复" in body and "经审查，第五条已责令修改。" in body


@pytest.mark.parametrize("who", ["district_reviewer", "supervisor", "staff", "office"])
def test_only_the_filing_bodys_reviewers_may_answer(who):
    suggestion = submit(public_document())
    actor = {
        "district_reviewer": district_reviewer,
        "supervisor": factories.supervisor,
        "staff": lambda: factories.staff("hz-drc"),
        "office": factories.office,
    }[who]()
    with pytest.raises(PermissionDenied):
        suggestions.suggestion_answer(actor=actor, suggestion_id=suggestion.pk, answer="答复。")
    assert ReviewSuggestion.objects.get(pk=suggestion.pk).status == "received"


def test_a_suggestion_about_a_township_document_is_answered_by_its_district():
    document = public_document(issuer="wuxing-feiying", number="飞英规〔2026〕1号",
                               filing_body=factories.department("wuxing"))
    body_reviewer = district_reviewer()
    city_reviewer = factories.reviewer()
    suggestion = submit(document)
    with pytest.raises(PermissionDenied):
        suggestions.suggestion_answer(actor=city_reviewer, suggestion_id=suggestion.pk, answer="答复。")
    suggestions.suggestion_answer(actor=body_reviewer, suggestion_id=suggestion.pk, answer="答复。")
    assert Notification.objects.filter(recipient=body_reviewer).count() == 1


def test_an_answer_is_required(reviewer_user):
    suggestion = submit(public_document())
    with pytest.raises(DomainError) as error:
        suggestions.suggestion_answer(actor=reviewer_user, suggestion_id=suggestion.pk, answer=" ")
    assert error.value.messages == ["请填写答复内容。"]


def test_a_suggestion_is_answered_once(reviewer_user):
    suggestion = submit(public_document())
    suggestions.suggestion_answer(actor=reviewer_user, suggestion_id=suggestion.pk, answer="答复。")
    with pytest.raises(InvalidState) as error:
        suggestions.suggestion_answer(actor=reviewer_user, suggestion_id=suggestion.pk, answer="再次答复。")
    assert error.value.messages == ["该审查建议已经答复。"]


# ================================================================== staff pages
def test_filing_body_reviewer_lists_and_answers_on_the_page(client, reviewer_user):
    suggestion = submit(public_document())
    client.force_login(reviewer_user)
    listing = client.get(reverse("normative_docs:suggestion-list"))
    assert [s.pk for s in listing.context["page"]] == [suggestion.pk]
    response = client.post(reverse("normative_docs:suggestion-detail", args=[suggestion.pk]), {"answer": "已答复。"})
    assert response.status_code == 302
    assert ReviewSuggestion.objects.get(pk=suggestion.pk).status == "answered"


def test_empty_answer_on_the_page_is_400(client, reviewer_user):
    suggestion = submit(public_document())
    client.force_login(reviewer_user)
    response = client.post(reverse("normative_docs:suggestion-detail", args=[suggestion.pk]), {"answer": ""})
    assert response.status_code == 400


def test_other_bodys_reviewer_sees_none_and_gets_404(client):
    suggestion = submit(public_document())
    client.force_login(district_reviewer())
    assert list(client.get(reverse("normative_docs:suggestion-list")).context["page"]) == []
    assert client.get(reverse("normative_docs:suggestion-detail", args=[suggestion.pk])).status_code == 404
    response = client.post(reverse("normative_docs:suggestion-detail", args=[suggestion.pk]), {"answer": "答复。"})
    assert response.status_code == 404


def test_supervisor_reads_every_suggestion_but_cannot_answer(client, supervisor_user):
    suggestion = submit(public_document())
    township = public_document(issuer="wuxing-feiying", number="飞英规〔2026〕1号",
                               filing_body=factories.department("wuxing"))
    other = submit(township)
    client.force_login(supervisor_user)
    assert {s.pk for s in client.get(reverse("normative_docs:suggestion-list")).context["page"]} == {suggestion.pk,
                                                                                                 other.pk}
    detail = client.get(reverse("normative_docs:suggestion-detail", args=[suggestion.pk]))
    assert detail.status_code == 200 and detail.context["can_answer"] is False
    response = client.post(reverse("normative_docs:suggestion-detail", args=[suggestion.pk]), {"answer": "答复。"})
    assert response.status_code == 403
    assert ReviewSuggestion.objects.get(pk=suggestion.pk).status == "received"


@pytest.mark.parametrize("who", ["staff", "office"])
def test_others_get_403(client, who):
    suggestion = submit(public_document())
    client.force_login(factories.staff("hz-drc") if who == "staff" else factories.office())
    assert client.get(reverse("normative_docs:suggestion-list")).status_code == 403
    assert client.get(reverse("normative_docs:suggestion-detail", args=[suggestion.pk])).status_code == 403


@pytest.mark.parametrize("rows", [2, 30], ids=["FEW", "MANY"])
def test_suggestion_list_query_count_is_fixed(client, reviewer_user, django_assert_max_num_queries, rows):
    document = public_document()
    for n in range(1, rows + 1):
        suggestion_for(document, number=f"审建〔2026〕{n}号")
    client.force_login(reviewer_user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("normative_docs:suggestion-list"))
    assert len(response.context["page"]) == min(rows, 20)
