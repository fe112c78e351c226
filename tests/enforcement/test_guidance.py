"""Guidance cases (案例指导): proposed by a body's officer from a closed case, reviewed and
published by a supervisor; staff pages, public pages with the party masked, permissions and
query counts."""
import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.exceptions import InvalidState, NotPermitted
from core.models import AuditEvent
from enforcement import masking
from enforcement.guidance import guidance_decide, guidance_propose
from enforcement.models import Case, GuidanceCase
from enforcement.workflow import CaseStatus as C
from tests import factories

pytestmark = pytest.mark.django_db
G = GuidanceCase.Status
NOW = "2026-05-11"
KEY_POINTS = "销售超过保质期的食品，初次违法且及时改正的，可以依法从轻处罚。当事人电话13812345678不应公开。"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(f"{NOW} 10:00 +0800", tick=False):
        yield


class Body:
    def __init__(self, code: str):
        self.officer = factories.enforcement_officer(code)
        self.colleague = factories.enforcement_officer(code)
        self.head = factories.enforcement_officer(code, head=True)

    def case(self, target: str = C.CLOSED, **kwargs) -> Case:
        return factories.case_in_state(target, officer=self.officer, colleague=self.colleague, head_user=self.head,
                                       **kwargs)

    def propose(self, case: Case | None = None, title: str = "销售过期食品从轻处罚案") -> GuidanceCase:
        case = case or self.case()
        return guidance_propose(actor=self.officer, case_id=case.pk, title=title, key_points=KEY_POINTS)


@pytest.fixture
def amr():
    return Body("hz-amr")


@pytest.fixture
def eco():
    return Body("hz-eco")


# ---------------------------------------------------------------- services
def test_an_officer_proposes_a_closed_case(amr):
    guidance = amr.propose()
    assert guidance.status == G.PROPOSED and guidance.proposed_by == amr.officer and guidance.published_on is None
    event = AuditEvent.objects.get(action="guidance_propose")
    assert event.object_id == str(guidance.case_id) and event.details["guidance"] == guidance.pk


def test_an_archived_case_may_be_proposed(amr):
    assert amr.propose(amr.case(C.ARCHIVED)).status == G.PROPOSED


@pytest.mark.parametrize("state", [C.INVESTIGATING, C.DECIDED, C.SERVED])
def test_a_case_not_closed_cannot_be_proposed(amr, state):
    case = amr.case(state)
    with pytest.raises(InvalidState, match="只有已结案或已归档的案件可以推荐为指导案例"):
        amr.propose(case)
    assert not GuidanceCase.objects.exists()


def test_title_and_key_points_are_required(amr):
    case = amr.case()
    with pytest.raises(Exception, match="请填写裁判要点"):
        guidance_propose(actor=amr.officer, case_id=case.pk, title="标题", key_points=" ")


def test_an_officer_of_another_body_cannot_see_the_case(amr, eco):
    case = amr.case()
    with pytest.raises(Case.DoesNotExist):
        guidance_propose(actor=eco.officer, case_id=case.pk, title="标题", key_points=KEY_POINTS)


def test_a_supervisor_cannot_propose(amr, supervisor_user):
    case = amr.case()
    with pytest.raises(PermissionDenied):
        guidance_propose(actor=supervisor_user, case_id=case.pk, title="标题", key_points=KEY_POINTS)


def test_a_case_is_proposed_once(amr):
    guidance = amr.propose()
    with pytest.raises(InvalidState, match="该案件已推荐为指导案例"):
        amr.propose(guidance.case)


def test_a_supervisor_publishes_a_proposal(amr, supervisor_user):
    guidance = guidance_decide(actor=supervisor_user, guidance_id=amr.propose().pk, publish=True)
    assert guidance.status == G.PUBLISHED and str(guidance.published_on) == NOW
    assert guidance.reviewed_by == supervisor_user
    assert AuditEvent.objects.filter(action="guidance_publish", event_type="publicity").count() == 1


def test_a_rejected_proposal_may_be_proposed_again(amr, supervisor_user):
    guidance = guidance_decide(actor=supervisor_user, guidance_id=amr.propose().pk, publish=False, note="典型性不足。")
    assert guidance.status == G.REJECTED and guidance.published_on is None
    again = amr.propose(guidance.case, title="修改后的标题")
    assert again.pk == guidance.pk and again.status == G.PROPOSED and again.reviewed_by is None


def test_a_decided_proposal_cannot_be_decided_again(amr, supervisor_user):
    guidance = guidance_decide(actor=supervisor_user, guidance_id=amr.propose().pk, publish=True)
    with pytest.raises(InvalidState, match="该指导案例已审核"):
        guidance_decide(actor=supervisor_user, guidance_id=guidance.pk, publish=False)


@pytest.mark.parametrize("who", ["office", "head", "reviewer"])
def test_only_a_supervisor_decides(amr, who):
    guidance = amr.propose()
    user = {"office": factories.office, "head": lambda: amr.head, "reviewer": factories.legal_reviewer}[who]()
    with pytest.raises(NotPermitted, match="指导案例由司法行政机关（监督人员）审核发布"):
        guidance_decide(actor=user, guidance_id=guidance.pk, publish=True)
    assert GuidanceCase.objects.get(pk=guidance.pk).status == G.PROPOSED


# ---------------------------------------------------------------- staff pages
def test_supervisor_lists_every_proposal_and_officers_their_own(client, amr, eco, supervisor_user):
    mine, theirs = amr.propose(), eco.propose()
    client.force_login(supervisor_user)
    assert sorted(g.pk for g in client.get(reverse("enforcement:guidance-list")).context["page"]) == sorted(
        [mine.pk, theirs.pk])
    client.force_login(amr.officer)
    assert [g.pk for g in client.get(reverse("enforcement:guidance-list")).context["page"]] == [mine.pk]
    assert client.get(reverse("enforcement:guidance-detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("enforcement:guidance-detail", args=[mine.pk])).status_code == 200


def test_a_legal_reviewer_gets_403_on_the_list(client, db):
    client.force_login(factories.legal_reviewer())
    assert client.get(reverse("enforcement:guidance-list")).status_code == 403


def test_an_officer_proposes_through_the_page(client, amr):
    case = amr.case()
    client.force_login(amr.officer)
    page = client.get(reverse("enforcement:guidance-list"))
    assert [c.pk for c in page.context["form"].fields["case"].queryset] == [case.pk]
    response = client.post(reverse("enforcement:guidance-list"),
                           {"case": case.pk, "title": "销售过期食品案", "key_points": KEY_POINTS})
    guidance = GuidanceCase.objects.get(case=case)
    assert response.status_code == 302 and response["Location"] == reverse("enforcement:guidance-detail",
                                                                          args=[guidance.pk])


def test_a_supervisor_cannot_post_a_proposal(client, amr, supervisor_user):
    case = amr.case()
    client.force_login(supervisor_user)
    response = client.post(reverse("enforcement:guidance-list"), {"case": case.pk, "title": "标题", "key_points": "要点"})
    assert response.status_code == 403 and not GuidanceCase.objects.exists()


def test_supervisor_decides_on_the_detail_page(client, amr, supervisor_user):
    guidance = amr.propose()
    client.force_login(supervisor_user)
    page = client.get(reverse("enforcement:guidance-detail", args=[guidance.pk]))
    assert page.context["may_decide"]
    body = page.content.decode()
    assert guidance.case.party_id_number not in body and "张*" in body
    url = reverse("enforcement:guidance-detail", args=[guidance.pk])
    response = client.post(url, {"decision": "publish", "confirmed": "on"})
    assert response.status_code == 302
    assert GuidanceCase.objects.get(pk=guidance.pk).status == G.PUBLISHED


def test_publishing_a_guidance_case_needs_the_confirmation_of_what_becomes_public(client, amr, supervisor_user):
    guidance = amr.propose()
    client.force_login(supervisor_user)
    url = reverse("enforcement:guidance-detail", args=[guidance.pk])
    page = client.get(url).content.decode()
    assert "办理后，以下内容将在公众网站公开" in page and "裁判要点" in page
    refused = client.post(url, {"decision": "publish"})
    assert refused.status_code == 400 and "请先确认" in refused.content.decode()
    assert GuidanceCase.objects.get(pk=guidance.pk).status == G.PROPOSED


def test_rejecting_a_guidance_case_needs_no_confirmation(client, amr, supervisor_user):
    guidance = amr.propose()
    client.force_login(supervisor_user)
    response = client.post(reverse("enforcement:guidance-detail", args=[guidance.pk]),
                           {"decision": "reject", "note": "典型性不足。"})
    assert response.status_code == 302 and GuidanceCase.objects.get(pk=guidance.pk).status == G.REJECTED


@pytest.mark.parametrize("who", ["officer", "head"])
def test_body_staff_cannot_decide_on_the_page(client, amr, who):
    guidance = amr.propose()
    client.force_login(getattr(amr, who))
    assert not client.get(reverse("enforcement:guidance-detail", args=[guidance.pk])).context["may_decide"]
    response = client.post(reverse("enforcement:guidance-detail", args=[guidance.pk]),
                           {"decision": "publish", "confirmed": "on"})
    assert response.status_code == 403
    assert GuidanceCase.objects.get(pk=guidance.pk).status == G.PROPOSED


# ---------------------------------------------------------------- public pages
def test_public_sees_published_guidance_with_the_party_masked(client, amr, supervisor_user):
    guidance = guidance_decide(actor=supervisor_user, guidance_id=amr.propose().pk, publish=True)
    listed = client.get(reverse("enforcement_reports:guidance-list"))
    assert [g.pk for g in listed.context["page"]] == [guidance.pk]
    response = client.get(reverse("enforcement_reports:guidance-detail", args=[guidance.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "销售过期食品从轻处罚案" in body and "可以依法从轻处罚" in body and "张*" in body
    assert "张三" not in body and "13812345678" not in body and "138****5678" in body
    assert not masking.contains_unmasked_id(body)


@pytest.mark.parametrize("publish", [None, False])
def test_public_gets_404_for_unpublished_guidance(client, amr, supervisor_user, publish):
    guidance = amr.propose()
    if publish is not None:
        guidance_decide(actor=supervisor_user, guidance_id=guidance.pk, publish=publish)
    hidden = client.get(reverse("enforcement_reports:guidance-detail", args=[guidance.pk]))
    missing = client.get(reverse("enforcement_reports:guidance-detail", args=[guidance.pk + 1000]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert list(client.get(reverse("enforcement_reports:guidance-list")).context["page"]) == []


# ---------------------------------------------------------------- query counts
def proposals(amr: Body, supervisor, rows: int) -> None:
    for n in range(rows):
        guidance = amr.propose(amr.case(seed=n + 1), title=f"指导案例{n}")
        guidance_decide(actor=supervisor, guidance_id=guidance.pk, publish=True)


@pytest.mark.parametrize("rows", [1, 4], ids=["few", "many"])
def test_guidance_list_query_count(client, amr, supervisor_user, django_assert_max_num_queries, rows):
    proposals(amr, supervisor_user, rows)
    client.force_login(amr.officer)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("enforcement:guidance-list"))
    assert len(response.context["page"]) == rows


@pytest.mark.parametrize("rows", [1, 4], ids=["few", "many"])
def test_public_guidance_list_query_count(client, amr, supervisor_user, django_assert_max_num_queries, rows):
    proposals(amr, supervisor_user, rows)
    with django_assert_max_num_queries(3):
        response = client.get(reverse("enforcement_reports:guidance-list"))
    assert len(response.context["page"]) == rows
