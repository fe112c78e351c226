"""The public consultation pages and the drafting unit's management page."""
import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from consultations import services
from consultations.models import Consultation, PublicComment
from decisions.workflow import DecisionStatus, Disclosure
from normative_docs.workflow import DocumentStatus
from tests import factories

from .conftest import (
    AFTER_CLOSING,
    open_decision_consultation,
    open_document_consultation,
)

BODY = "建议在第五条增加对个体工商户的适用规定，并明确申请材料清单。"


def post_comment(client, consultation, **data):
    return client.post(reverse("consultations:comment", args=[consultation.pk]),
                       {"body": BODY, "name": "", "email": "", "contact": "", "homepage": "", **data})


def approved(consultation, staff_user, body=BODY, **kwargs) -> PublicComment:
    saved = services.comment_submit(consultation_id=consultation.pk, body=body, client_address="203.0.113.7", **kwargs)
    return services.comment_moderate(actor=staff_user, comment_id=saved.pk, approve=True)


# ================================================================== the public page
def test_the_page_shows_text_explanation_channel_and_closing_time(client, document_consultation):
    body = client.get(reverse("consultations:detail", args=[document_consultation.pk])).content.decode()
    assert document_consultation.draft_text.splitlines()[0] in body
    assert "起草依据和主要内容说明。" in body
    assert "电子邮件：fzb@huzhou.gov.cn" in body
    assert "2026年6月10日24时" in body
    assert "提交意见" in body


def test_a_comment_from_the_page_shows_the_tracking_code(client, consultation):
    response = post_comment(client, consultation, name="李女士", email="li@example.com")
    saved = PublicComment.objects.get()
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert saved.tracking_code in page and "意见已提交" in page


def test_the_honeypot_saves_nothing(client, consultation):
    response = post_comment(client, consultation, homepage="http://spam.example")
    assert response.status_code == 400
    assert "提交未成功，请刷新页面后重试。" in response.content.decode()
    assert not PublicComment.objects.exists()


def test_after_closing_the_page_says_so_and_a_post_saves_nothing(client, consultation):
    with time_machine.travel(AFTER_CLOSING, tick=False):
        page = client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
        response = post_comment(client, consultation)
    assert "征求意见已于2026年6月10日24时截止。" in page and "提交意见" not in page
    assert response.status_code == 400
    assert "征求意见已于2026年6月10日24时截止，不再接收意见。" in response.content.decode()
    assert not PublicComment.objects.exists()


def test_the_page_counts_the_rate_limit_per_client_address(client, consultation):
    def send(body, address):
        return client.post(reverse("consultations:comment", args=[consultation.pk]),
                           {"body": body, "name": "", "email": "", "contact": "", "homepage": ""}, REMOTE_ADDR=address)

    for i in range(services.RATE_LIMIT):
        assert send(f"第{i}条意见：建议明确办理时限。", "198.51.100.9").status_code == 302
    refused = send("再一条意见：建议明确办理时限。", "198.51.100.9")
    assert refused.status_code == 400 and "提交过于频繁" in refused.content.decode()
    assert send("另一位市民的意见：建议明确办理时限。", "198.51.100.10").status_code == 302
    assert PublicComment.objects.count() == services.RATE_LIMIT + 1
    assert PublicComment.objects.values("ip_hash").distinct().count() == 2


def test_an_empty_comment_is_refused_with_a_message(client, consultation):
    response = post_comment(client, consultation, body="")
    assert response.status_code == 400
    assert response.context["form"].errors["body"]
    assert 'class="errorlist"' in response.content.decode()
    assert not PublicComment.objects.exists()


def test_only_approved_comments_show_and_never_their_contact_details(client, consultation, staff_user):
    approved(consultation, staff_user, name="王先生", email="wang@example.com", contact="13900000000")
    services.comment_submit(consultation_id=consultation.pk, body="尚未审核的意见内容。", client_address="198.51.100.1")
    rejected = services.comment_submit(consultation_id=consultation.pk, body="不予公开的意见内容。",
                                       client_address="198.51.100.2")
    services.comment_moderate(actor=staff_user, comment_id=rejected.pk, approve=False, reason="含有侮辱性语言。")

    body = client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()

    assert BODY in body and "王先生" in body
    assert "wang@example.com" not in body and "13900000000" not in body
    assert "尚未审核的意见内容" not in body and "不予公开的意见内容" not in body


def test_dispositions_show_only_after_the_summary_is_published(client, consultation, staff_user):
    saved = approved(consultation, staff_user)
    url = reverse("consultations:detail", args=[consultation.pk])
    with time_machine.travel(AFTER_CLOSING, tick=False):
        services.comment_dispose(actor=staff_user, comment_id=saved.pk, disposition="not_adopted",
                                 reason="个体工商户已在第二条中规定。")
        before = client.get(url).content.decode()
        services.consultation_publish_summary(actor=staff_user, consultation_id=consultation.pk,
                                              summary="共收到意见1条，不予采纳1条。")
        after = client.get(url).content.decode()
    assert "个体工商户已在第二条中规定。" not in before
    assert "个体工商户已在第二条中规定。" in after and "共收到意见1条，不予采纳1条。" in after and "不予采纳" in after


def test_a_withheld_decisions_consultation_is_404_like_a_missing_one(client, staff_user):
    withheld = open_decision_consultation(staff_user, disclosure=Disclosure.WITHHELD,
                                          withheld_reason="涉及国家秘密，依法不予公开。")
    hidden = client.get(reverse("consultations:detail", args=[withheld.pk]))
    missing = client.get(reverse("consultations:detail", args=[withheld.pk + 1000]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert post_comment(client, withheld).status_code == 404
    listing = client.get(reverse("consultations:list")).content.decode()
    assert withheld.title not in listing
    assert withheld.title not in client.get(reverse("sitemap")).content.decode()
    assert f"/consultations/{withheld.pk}/" not in client.get(reverse("sitemap")).content.decode()


def test_the_list_puts_open_consultations_before_closed_ones(client, staff_user):
    closed_one = open_decision_consultation(staff_user, title="早已截止的决策草案")
    Consultation.objects.filter(pk=closed_one.pk).update(opens_on="2026-03-01", closes_on="2026-04-01")
    open_one = open_document_consultation(staff_user, title="正在征求意见的文件草案")
    response = client.get(reverse("consultations:list"))
    assert [c.pk for c in response.context["page"]] == [open_one.pk, closed_one.pk]


def test_a_wrong_tracking_code_is_404(client, consultation):
    assert client.get(reverse("consultations:track", args=[consultation.pk]), {"code": "WRONGCODE1"}).status_code == 404


def past_consultation(subject, staff_user) -> Consultation:
    """A consultation held while the subject was a draft (its page outlives the draft)."""
    from django.contrib.contenttypes.models import ContentType

    department = getattr(subject, "department", None) or subject.drafting_department
    return Consultation.objects.create(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk, department=department,
        title=subject.title, draft_text="第一条", channel="网站", opens_on="2026-03-01", closes_on="2026-04-01",
        opened_by=staff_user)


def test_the_public_decision_page_links_its_consultation(client, staff_user):
    decision = factories.decision_in_state(DecisionStatus.EXECUTING, staff_user=staff_user)
    consultation = past_consultation(decision, staff_user)
    body = client.get(reverse("public:decision-detail", args=[decision.pk])).content.decode()
    assert reverse("consultations:detail", args=[consultation.pk]) in body


def test_the_library_page_links_the_documents_consultation(client, staff_user):
    document = factories.normative_document_in_state(DocumentStatus.PUBLISHED, staff_user=staff_user)
    consultation = past_consultation(document, staff_user)
    body = client.get(reverse("library:detail", args=[document.pk])).content.decode()
    assert reverse("consultations:detail", args=[consultation.pk]) in body


# ================================================================== query counts
@pytest.mark.parametrize("n", [3, 30])
def test_list_query_count_is_fixed(client, staff_user, django_assert_max_num_queries, n):
    for i in range(n):
        c = open_decision_consultation(staff_user) if i % 2 else open_document_consultation(staff_user, title=f"文件{i}")
        approved(c, staff_user, body=f"第{i}条意见：建议明确办理时限。")
        cache.clear()  # the rate limit is not what this test is about
    with django_assert_max_num_queries(3):  # measured: 2
        response = client.get(reverse("consultations:list"))
    assert len(response.context["page"]) == min(n, 20)


@pytest.mark.parametrize("n", [3, 30])
def test_detail_query_count_is_fixed(client, consultation, staff_user, django_assert_max_num_queries, n):
    for i in range(n):
        approved(consultation, staff_user, body=f"第{i}条意见：建议明确办理时限。")
        cache.clear()  # the rate limit is not what this test is about
    with django_assert_max_num_queries(4):  # measured: 3
        response = client.get(reverse("consultations:detail", args=[consultation.pk]))
    assert len(response.context["comments"]) == n


@pytest.mark.parametrize("n", [3, 30])
def test_manage_query_count_is_fixed(client, consultation, staff_user, django_assert_max_num_queries, n):
    for i in range(n):
        approved(consultation, staff_user, body=f"第{i}条意见：建议明确办理时限。")
        cache.clear()  # the rate limit is not what this test is about
    client.force_login(staff_user)
    with django_assert_max_num_queries(8):  # measured: 7 (session and user included)
        response = client.get(reverse("consultations:manage", args=[consultation.pk]))
    assert len(response.context["rows"]) == n
    assert (response.context["pending"], response.context["undisposed"]) == (0, n)


# ================================================================== the management page
@pytest.mark.parametrize(("who", "status"), [("own", 200), ("other", 404), ("supervisor", 200)])
def test_who_opens_the_management_page(client, consultation, staff_user, other_staff_user, supervisor_user, who,
                                       status):
    client.force_login({"own": staff_user, "other": other_staff_user, "supervisor": supervisor_user}[who])
    assert client.get(reverse("consultations:manage", args=[consultation.pk])).status_code == status


def test_the_management_page_shows_contact_details_to_the_drafting_unit(client, consultation, staff_user):
    services.comment_submit(consultation_id=consultation.pk, body=BODY, email="wang@example.com",
                            client_address="203.0.113.7")
    client.force_login(staff_user)
    assert "wang@example.com" in client.get(reverse("consultations:manage", args=[consultation.pk])).content.decode()


@pytest.mark.parametrize(("who", "status"), [("other", 404), ("supervisor", 403)])
def test_others_cannot_moderate_from_the_page(client, consultation, other_staff_user, supervisor_user, who, status):
    saved = services.comment_submit(consultation_id=consultation.pk, body=BODY, client_address="203.0.113.7")
    client.force_login({"other": other_staff_user, "supervisor": supervisor_user}[who])
    response = client.post(reverse("consultations:comment-moderate", args=[consultation.pk, saved.pk]),
                           {f"m{saved.pk}-approve": "1", f"m{saved.pk}-reason": ""})
    assert response.status_code == status
    assert PublicComment.objects.get(pk=saved.pk).status == PublicComment.Status.PENDING


def test_the_drafting_unit_moderates_disposes_and_publishes_from_the_page(client, consultation, staff_user):
    saved = services.comment_submit(consultation_id=consultation.pk, body=BODY, client_address="203.0.113.7")
    client.force_login(staff_user)
    manage = reverse("consultations:manage", args=[consultation.pk])
    assert client.post(reverse("consultations:comment-moderate", args=[consultation.pk, saved.pk]),
                       {f"m{saved.pk}-approve": "1"})["Location"] == manage
    with time_machine.travel(AFTER_CLOSING, tick=False):
        client.force_login(staff_user)  # the session of a month ago has expired
        refused = client.post(reverse("consultations:summary-publish", args=[consultation.pk]),
                              {"summary": "共1条。", "confirmed": "on"})
        assert refused.status_code == 400 and "尚有1条意见未答复采纳情况，请先逐条答复。" in refused.content.decode()
        client.post(reverse("consultations:comment-dispose", args=[consultation.pk, saved.pk]),
                    {f"d{saved.pk}-disposition": "adopted", f"d{saved.pk}-reason": ""})
        unconfirmed = client.post(reverse("consultations:summary-publish", args=[consultation.pk]),
                                  {"summary": "共1条，采纳1条。"})
        assert unconfirmed.status_code == 400 and "请先确认" in unconfirmed.content.decode()
        assert "共1条，采纳1条。" in unconfirmed.content.decode()  # what was typed is kept
        assert not Consultation.objects.get(pk=consultation.pk).summary_published_at
        assert client.post(reverse("consultations:summary-publish", args=[consultation.pk]),
                           {"summary": "共1条，采纳1条。", "confirmed": "on"}).status_code == 302
    assert Consultation.objects.get(pk=consultation.pk).summary == "共1条，采纳1条。"


def test_the_staff_decision_page_links_the_management_page(client, consultation, staff_user):
    client.force_login(staff_user)
    body = client.get(reverse("decisions:detail", args=[consultation.object_id])).content.decode()
    assert reverse("consultations:manage", args=[consultation.pk]) in body


def test_the_staff_document_page_links_the_management_page(client, document_consultation, staff_user):
    client.force_login(staff_user)
    body = client.get(reverse("normative_docs:detail", args=[document_consultation.object_id])).content.decode()
    assert reverse("consultations:manage", args=[document_consultation.pk]) in body
