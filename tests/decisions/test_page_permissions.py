"""Who may open which page. What a user may not see is a 404 (the same as a
missing id); what they may see but not do is a 403; anonymous visitors of
staff pages go to the login page."""
import datetime as dt

import pytest
import time_machine
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from core.models import Role
from core.services import attachment_add
from decisions import services
from decisions.models import Catalog, CatalogAdjustment, CatalogItem, Decision
from decisions.workflow import (
    DecisionStatus,
    Disclosure,
    MeetingOutcome,
    MeetingType,
    Procedure,
)
from normative_docs.workflow import DocumentStatus as NormativeStatus
from reviews.models import ReviewTask
from reviews.services import review_task_claim
from tests import factories
from tests.factories import PUBLIC_COMMENT_DETAILS, CatalogFactory, CatalogItemFactory

TODAY = "2026-05-11"


@pytest.fixture(autouse=True)
def _calendar():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


# ================================================================== the matrix
STAFF_ACTIONS = ["start-procedures", "submit-for-review", "revise", "execution-report", "complete"]
OFFICE_ACTIONS = ["meeting", "party-report", "publish", "suspend", "resume", "adjust", "terminate",
                  "post-evaluation", "post-evaluation-conclude"]
EITHER_ACTIONS = ["archive"]  # the department or the office
ACTIONS = STAFF_ACTIONS + OFFICE_ACTIONS + EITHER_ACTIONS
POSTABLE = ["edit", "procedure", *ACTIONS]
ALL_PAGES = ["detail", *POSTABLE]

#: Valid form data for each page, so a refusal comes from the permission check and not the form.
POST_DATA = {
    "edit": {"title": "修改后的名称", "summary": "内容", "category": "public_policy", "required_procedures": ["public_comment"],
             "draft_text": "第一条", "outside_catalog_reason": "临时性重大事项。", "disclosure": "public", "version": "1"},
    "procedure": {**PUBLIC_COMMENT_DETAILS},
    "start-procedures": {"note": ""},
    "submit-for-review": {"note": ""},
    "revise": {"note": "按审查意见修改。"},
    "execution-report": {"reported_on": TODAY, "progress": "按计划推进。"},
    "complete": {"completed_on": TODAY, "note": ""},
    "archive": {"confirmed": "on", "note": ""},
    "meeting": {"meeting_type": MeetingType.EXECUTIVE, "session_name": "市政府第30次常务会议", "held_on": TODAY,
                "attendees": "市长、副市长", "member_views": "同意。", "head_name": "市长", "outcome": MeetingOutcome.ADOPTED},
    "party-report": {"reported_on": TODAY, "note": "已向市委常委会报告。"},
    "publish": {"confirmed": "on", "channel": "湖州市人民政府网站", "document_number": ""},
    "suspend": {"confirmed": "on", "reason": "情况紧急。"},
    "resume": {"reason": "情况已消除。"},
    "adjust": {"confirmed": "on", "reason": "需重大调整。"},
    "terminate": {"confirmed": "on", "reason": "经集体讨论决定停止执行。"},
    "post-evaluation": {"trigger": "body_deems_necessary", "evaluator": "第三方评估机构甲", "reason": ""},
    "post-evaluation-conclude": {"findings": "效果良好。", "conclusion": "continue"},
}

MATRIX = [
    # who            department  pages                                         method  status
    ("staff", "other", ALL_PAGES, "GET", 404),
    ("staff", "other", POSTABLE, "POST", 404),
    ("anonymous", "-", ALL_PAGES, "GET", 302),
    ("anonymous", "-", POSTABLE, "POST", 302),
    ("reviewer", "-", ALL_PAGES, "GET", 404),  # no review task: not visible at all
    ("reviewer", "-", POSTABLE, "POST", 404),
    ("staff", "own", ["detail", "edit", "procedure", *STAFF_ACTIONS, *EITHER_ACTIONS], "GET", 200),
    ("staff", "own", OFFICE_ACTIONS, "GET", 403),
    ("staff", "own", OFFICE_ACTIONS, "POST", 403),
    ("supervisor", "-", ["detail"], "GET", 200),
    ("supervisor", "-", ["edit", "procedure", *ACTIONS], "GET", 403),
    ("supervisor", "-", POSTABLE, "POST", 403),
    ("office", "-", ["detail"], "GET", 200),
    ("office", "-", [*OFFICE_ACTIONS, *EITHER_ACTIONS], "GET", 200),
    ("office", "-", ["edit", "procedure", *STAFF_ACTIONS], "GET", 403),
    ("office", "-", ["edit", "procedure", *STAFF_ACTIONS], "POST", 403),
    # every level (issue 16): a city department's decision is out of scope for townships, 司法所 and districts
    ("township_staff", "-", ALL_PAGES, "GET", 404),
    ("township_staff", "-", POSTABLE, "POST", 404),
    ("township_head", "-", ALL_PAGES, "GET", 404),
    ("sifasuo_reviewer", "-", ALL_PAGES, "GET", 404),
    ("district_reviewer", "-", ALL_PAGES, "GET", 404),
    ("district_staff", "-", POSTABLE, "POST", 404),
]
CASES = [
    pytest.param(who, department, page, method, status, id=f"{who}-{department}-{method}-{page}-{status}")
    for who, department, pages, method, status in MATRIX
    for page in pages
]


def page_url(page: str, pk: int) -> str:
    if page == "procedure":
        return reverse("decisions:procedure", args=[pk, Procedure.PUBLIC_COMMENT])
    return reverse(f"decisions:{page}", args=[pk])


def login_as(client, who: str, department: str, *, creator):
    user = {
        ("staff", "own"): lambda: creator,
        ("staff", "other"): lambda: factories.staff("hz-nrp"),
        ("reviewer", "-"): factories.reviewer,
        ("supervisor", "-"): factories.supervisor,
        ("office", "-"): factories.office,
        ("anonymous", "-"): lambda: None,
        ("township_staff", "-"): lambda: factories.staff("wuxing-zhili"),
        ("township_head", "-"): lambda: factories.UserFactory(department=factories.department("wuxing-zhili"),
                                                              roles=[Role.STAFF, Role.HEAD]),
        ("sifasuo_reviewer", "-"): lambda: factories.reviewer("wuxing-zhili-sfs"),
        ("district_reviewer", "-"): lambda: factories.reviewer("wuxing-justice"),
        ("district_staff", "-"): lambda: factories.staff("wuxing"),
    }[(who, department)]()
    if user is not None:
        client.force_login(user)
    return user


@pytest.mark.parametrize(("who", "department", "page", "method", "status"), CASES)
def test_decision_page_permission_matrix(client, db, who, department, page, method, status):
    creator = factories.staff("hz-drc")
    decision = factories.decision_in_state(DecisionStatus.DRAFTING, staff_user=creator)
    login_as(client, who, department, creator=creator)
    url = page_url(page, decision.pk)

    response = client.get(url) if method == "GET" else client.post(url, POST_DATA[page])

    assert response.status_code == status
    if status == 302:
        assert response["Location"] == f"{reverse('login')}?next={url}"
    if method == "POST" and status != 200:
        unchanged = Decision.objects.get(pk=decision.pk)
        assert (unchanged.status, unchanged.version, unchanged.title) == (decision.status, decision.version,
                                                                         decision.title)


#: A township's decision ready for its meeting (issue 16): the township's head acts for the decision
#: body; the city office sees it but may not act; the city department's staff do not see it.
TOWNSHIP_MATRIX = [
    ("township_head", ["detail", "meeting"], "GET", 200),
    ("township_staff", ["detail"], "GET", 200),
    ("township_staff", ["meeting"], "GET", 403),
    ("office", ["detail"], "GET", 200),
    ("office", ["meeting"], "GET", 403),
    ("office", ["meeting"], "POST", 403),
    ("city_staff", ["detail", "meeting"], "GET", 404),
    ("other_township_head", ["detail", "meeting"], "GET", 404),
    ("sifasuo_reviewer", ["meeting"], "POST", 403),
]


@pytest.mark.parametrize(("who", "page", "method", "status"), [
    pytest.param(who, page, method, status, id=f"{who}-{method}-{page}-{status}")
    for who, pages, method, status in TOWNSHIP_MATRIX for page in pages])
def test_township_decision_permission_matrix(client, db, who, page, method, status):
    staff = factories.staff("wuxing-zhili")
    reviewer = factories.reviewer("wuxing-zhili-sfs")
    decision = factories.decision_in_state(DecisionStatus.READY_FOR_DISCUSSION, staff_user=staff,
                                           reviewer_user=reviewer)
    head = lambda code: factories.UserFactory(department=factories.department(code),  # noqa: E731
                                               roles=[Role.STAFF, Role.HEAD])
    user = {"township_head": lambda: head("wuxing-zhili"), "township_staff": lambda: staff,
            "office": factories.office, "city_staff": lambda: factories.staff("hz-drc"),
            "other_township_head": lambda: head("wuxing-balidian"), "sifasuo_reviewer": lambda: reviewer}[who]()
    client.force_login(user)
    url = page_url(page, decision.pk)
    response = client.get(url) if method == "GET" else client.post(url, POST_DATA[page])
    assert response.status_code == status
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.READY_FOR_DISCUSSION


def test_other_departments_404_is_the_same_as_a_missing_decision(client, other_staff_user, staff_user):
    decision = factories.decision_in_state(DecisionStatus.DRAFTING, staff_user=staff_user)
    client.force_login(other_staff_user)
    hidden = client.get(reverse("decisions:detail", args=[decision.pk]))
    missing = client.get(reverse("decisions:detail", args=[decision.pk + 1000]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_procedure_not_required_by_the_decision_is_404(client, staff_user):
    decision = factories.decision_in_state(DecisionStatus.DRAFTING, staff_user=staff_user)
    client.force_login(staff_user)
    response = client.get(reverse("decisions:procedure", args=[decision.pk, Procedure.HEARING]))
    assert response.status_code == 404


def test_other_departments_decision_is_absent_from_the_list(client, staff_user, other_staff_user):
    mine = factories.decision_in_state(DecisionStatus.DRAFTING, staff_user=staff_user)
    theirs = factories.decision_in_state(DecisionStatus.DRAFTING, staff_user=other_staff_user)
    client.force_login(staff_user)
    response = client.get(reverse("decisions:list"))
    assert [d.pk for d in response.context["page"]] == [mine.pk]
    assert theirs.title not in response.content.decode()


def test_supervisor_lists_every_department(client, supervisor_user, staff_user, other_staff_user):
    factories.decision_in_state(DecisionStatus.DRAFTING, staff_user=staff_user)
    factories.decision_in_state(DecisionStatus.DRAFTING, staff_user=other_staff_user)
    client.force_login(supervisor_user)
    response = client.get(reverse("decisions:list"))
    assert len(response.context["page"]) == 2


# ================================================================== reviewers
def test_reviewer_sees_a_decision_while_its_review_task_is_open(client, reviewer_user):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW)
    client.force_login(reviewer_user)
    assert client.get(reverse("decisions:detail", args=[decision.pk])).status_code == 200


def test_reviewer_loses_sight_of_a_decision_claimed_by_a_colleague(client, reviewer_user, second_reviewer):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW)
    task = ReviewTask.objects.get(object_id=decision.pk)
    review_task_claim(task_id=task.pk, actor=second_reviewer)
    client.force_login(reviewer_user)
    assert client.get(reverse("decisions:detail", args=[decision.pk])).status_code == 404


def test_assigned_reviewer_keeps_seeing_the_decision_after_deciding(client, reviewer_user, second_reviewer):
    decision = factories.decision_in_state(DecisionStatus.READY_FOR_DISCUSSION, reviewer_user=reviewer_user)
    client.force_login(reviewer_user)
    assert client.get(reverse("decisions:detail", args=[decision.pk])).status_code == 200
    client.force_login(second_reviewer)
    assert client.get(reverse("decisions:detail", args=[decision.pk])).status_code == 404


@pytest.mark.parametrize("page", ["submit-for-review", "meeting", "edit"])
def test_reviewer_may_read_but_not_act_on_a_decision_under_review(client, reviewer_user, page):
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW)
    client.force_login(reviewer_user)
    response = client.post(page_url(page, decision.pk), POST_DATA[page])
    assert response.status_code == 403
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.LEGALITY_REVIEW


# ================================================================== office-only and supervisor actions
def test_staff_cannot_publish_their_own_decided_decision(client, staff_user):
    decision = factories.decision_in_state(DecisionStatus.DECIDED, staff_user=staff_user)
    client.force_login(staff_user)
    response = client.post(reverse("decisions:publish", args=[decision.pk]), POST_DATA["publish"])
    assert response.status_code == 403
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.DECIDED


def test_staff_cannot_suspend_their_own_executing_decision(client, staff_user):
    decision = factories.decision_in_state(DecisionStatus.EXECUTING, staff_user=staff_user)
    client.force_login(staff_user)
    response = client.post(reverse("decisions:suspend", args=[decision.pk]), POST_DATA["suspend"])
    assert response.status_code == 403
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.EXECUTING


def test_supervisor_cannot_suspend_an_executing_decision(client, supervisor_user):
    decision = factories.decision_in_state(DecisionStatus.EXECUTING)
    client.force_login(supervisor_user)
    assert client.get(reverse("decisions:detail", args=[decision.pk])).status_code == 200
    response = client.post(reverse("decisions:suspend", args=[decision.pk]), POST_DATA["suspend"])
    assert response.status_code == 403
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.EXECUTING


def test_detail_page_offers_staff_no_office_actions(client, staff_user):
    decision = factories.decision_in_state(DecisionStatus.DECIDED, staff_user=staff_user)
    client.force_login(staff_user)
    response = client.get(reverse("decisions:detail", args=[decision.pk]))
    assert response.context["actions"] == []
    assert reverse("decisions:publish", args=[decision.pk]) not in response.content.decode()


def test_detail_page_offers_the_office_publication(client, office_user):
    decision = factories.decision_in_state(DecisionStatus.DECIDED)
    client.force_login(office_user)
    response = client.get(reverse("decisions:detail", args=[decision.pk]))
    assert [a["name"] for a in response.context["actions"]] == ["party-report", "publish"]


# ================================================================== catalog management
def test_staff_cannot_compile_the_catalog(client, staff_user):
    catalog = CatalogFactory(year=2027)
    item = CatalogItemFactory(catalog=catalog, number=None, status=CatalogItem.Status.PROPOSED, proposed_by=staff_user)
    client.force_login(staff_user)
    response = client.post(reverse("decisions:catalog-compile", args=[2027]), {"included": [item.pk]})
    assert response.status_code == 403
    assert Catalog.objects.get(pk=catalog.pk).status == Catalog.Status.COLLECTING


def test_staff_sees_only_their_departments_unpublished_catalog_items(client, staff_user, other_staff_user):
    catalog = CatalogFactory(year=2027)
    CatalogItemFactory(catalog=catalog, name="本单位事项", number=None, status=CatalogItem.Status.PROPOSED,
                       proposed_by=staff_user)
    CatalogItemFactory(catalog=catalog, name="他单位事项", number=None, status=CatalogItem.Status.PROPOSED,
                       lead_department=other_staff_user.department, proposed_by=other_staff_user)
    client.force_login(staff_user)
    response = client.get(reverse("decisions:catalog-manage-year", args=[2027]))
    assert [i.name for i in response.context["items"]] == ["本单位事项"]


def test_staff_deciding_a_catalog_adjustment_gets_404(client, staff_user):
    catalog = published_catalog(2026)
    item = CatalogItemFactory(catalog=catalog, proposed_by=staff_user)
    adjustment = services.catalog_adjustment_propose(actor=staff_user, year=2026, kind=CatalogAdjustment.Kind.WITHDRAW,
                                                     reason="情况发生变化。", item_id=item.pk)
    client.force_login(staff_user)
    response = client.post(reverse("decisions:catalog-adjustment-decide", args=[adjustment.pk]), {"approve": "1"})
    assert response.status_code == 404
    assert CatalogAdjustment.objects.get(pk=adjustment.pk).status == CatalogAdjustment.Status.PROPOSED


# ================================================================== the public
def published_catalog(year: int = 2026) -> Catalog:
    return CatalogFactory(year=year, status=Catalog.Status.PUBLISHED, party_consent_on=dt.date(year, 3, 10),
                          published_at=timezone.make_aware(dt.datetime(year, 3, 20, 9, 0)))


@pytest.mark.parametrize("state", [DecisionStatus.DRAFTING, DecisionStatus.LEGALITY_REVIEW, DecisionStatus.DECIDED])
def test_public_gets_404_for_an_unpublished_decision(client, db, state):
    decision = factories.decision_in_state(state)
    hidden = client.get(reverse("public:decision-detail", args=[decision.pk]))
    missing = client.get(reverse("public:decision-detail", args=[decision.pk + 1000]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_public_gets_404_for_a_withheld_published_decision(client, db):
    decision = factories.decision_in_state(DecisionStatus.EXECUTING, disclosure=Disclosure.WITHHELD,
                                           withheld_reason="涉及国家秘密，依法不予公开。")
    hidden = client.get(reverse("public:decision-detail", args=[decision.pk]))
    missing = client.get(reverse("public:decision-detail", args=[decision.pk + 1000]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_public_reads_a_published_decision(client, db):
    decision = factories.decision_in_state(DecisionStatus.EXECUTING)
    response = client.get(reverse("public:decision-detail", args=[decision.pk]))
    assert response.status_code == 200
    assert decision.title in response.content.decode()


def test_public_decision_list_omits_withheld_and_unpublished_decisions(client, db):
    public = factories.decision_in_state(DecisionStatus.EXECUTING)
    withheld = factories.decision_in_state(DecisionStatus.EXECUTING, disclosure=Disclosure.WITHHELD,
                                           withheld_reason="涉及国家秘密，依法不予公开。")
    decided = factories.decision_in_state(DecisionStatus.DECIDED)
    response = client.get(reverse("public:decision-list"))
    assert [d.pk for d in response.context["page"]] == [public.pk]
    body = response.content.decode()
    assert withheld.title not in body and decided.title not in body


@pytest.mark.parametrize("status", [Catalog.Status.COLLECTING, Catalog.Status.COMPILED])
def test_public_gets_404_for_an_unpublished_catalog(client, db, status):
    CatalogFactory(year=2027, status=status)
    hidden = client.get(reverse("public:catalog", args=[2027]))
    missing = client.get(reverse("public:catalog", args=[2031]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_withheld_catalog_items_are_neither_listed_nor_counted(client, staff_user):
    catalog = published_catalog(2026)
    CatalogItemFactory(catalog=catalog, name="公开事项甲", proposed_by=staff_user)
    CatalogItemFactory(catalog=catalog, name="公开事项乙", proposed_by=staff_user)
    CatalogItemFactory(catalog=catalog, name="保密事项", proposed_by=staff_user, disclosure=Disclosure.WITHHELD,
                       withheld_reason="涉及国家秘密，依法不予公开。")
    CatalogItemFactory(catalog=catalog, name="未列入事项", proposed_by=staff_user, number=None,
                       status=CatalogItem.Status.NOT_INCLUDED)

    response = client.get(reverse("public:catalog", args=[2026]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "公开事项甲" in body and "公开事项乙" in body
    assert "保密事项" not in body and "涉及国家秘密" not in body and "未列入事项" not in body
    assert "共 2 项" in body


def test_public_catalog_index_lists_only_published_catalogs(client, db):
    published_catalog(2026)
    CatalogFactory(year=2027)
    response = client.get(reverse("public:catalog-index"))
    assert [c.year for c in response.context["catalogs"]] == [2026]


# ================================================================== every route is classified
PUBLIC, LOGIN = "public", "login required"
ROUTES = {
    "public:home": PUBLIC,
    "public:sitemap": PUBLIC,
    "public:catalog-index": PUBLIC,
    "public:catalog": PUBLIC,
    "public:catalog-item": PUBLIC,
    "public:decision-list": PUBLIC,
    "public:decision-detail": PUBLIC,
    "public:execution-tracker": PUBLIC,
    "library:list": PUBLIC,
    "library:detail": PUBLIC,
    "library:original": PUBLIC,
    "library:diff": PUBLIC,
    "library:attachment": PUBLIC,
    "library:suggest": PUBLIC,
    "library:suggestion-lookup": PUBLIC,
    "library:suggestion-track": PUBLIC,
    "workbench:my-work": LOGIN,
    "workbench:my-deadlines": LOGIN,
    "workbench:coverage": LOGIN,
    "reviews:review-queue": LOGIN,
    "reviews:review-detail": LOGIN,
    "reviews:review-claim": LOGIN,
    "reviews:review-assign": LOGIN,
    "workbench:attachment-download": LOGIN,
    "workbench:archive-package": LOGIN,
    "transparency:index": PUBLIC,
    "transparency:feed": PUBLIC,
    "transparency:checkpoint": PUBLIC,
    "workbench:responsibility": LOGIN,
    "deadlines:calendar": LOGIN,
    "deadlines:overdue": LOGIN,
    "deadlines:clock-detail": LOGIN,
    "deadlines:clock-pause": LOGIN,
    "deadlines:clock-resume": LOGIN,
    "deadlines:clock-extend": LOGIN,
    "deadlines:notifications": LOGIN,
    "deadlines:notifications-read-all": LOGIN,
    "deadlines:notification-read": LOGIN,
    "deadlines:notification-settings": LOGIN,
    "deadlines:calendar-token-reset": LOGIN,
    "decisions:list": LOGIN,
    "decisions:create": LOGIN,
    "decisions:detail": LOGIN,
    "decisions:edit": LOGIN,
    "decisions:procedure": LOGIN,
    "decisions:start-procedures": LOGIN,
    "decisions:submit-for-review": LOGIN,
    "decisions:public-comment": LOGIN,
    "decisions:hearing": LOGIN,
    "decisions:revise": LOGIN,
    "decisions:meeting": LOGIN,
    "decisions:party-report": LOGIN,
    "decisions:publish": LOGIN,
    "decisions:execution-report": LOGIN,
    "decisions:suspend": LOGIN,
    "decisions:resume": LOGIN,
    "decisions:adjust": LOGIN,
    "decisions:terminate": LOGIN,
    "decisions:post-evaluation": LOGIN,
    "decisions:post-evaluation-conclude": LOGIN,
    "decisions:complete": LOGIN,
    "decisions:archive": LOGIN,
    "decisions:catalog-manage": LOGIN,
    "decisions:catalog-manage-year": LOGIN,
    "decisions:catalog-item-propose": LOGIN,
    "decisions:catalog-compile": LOGIN,
    "decisions:catalog-party-consent": LOGIN,
    "decisions:catalog-publish": LOGIN,
    "decisions:catalog-adjustment-propose": LOGIN,
    "decisions:catalog-adjustment-decide": LOGIN,
    "normative_docs:list": LOGIN,
    "normative_docs:create": LOGIN,
    "normative_docs:historical-register": LOGIN,
    "workbench:rules-matrix": LOGIN,
    "workbench:rule-events": LOGIN,
    "normative_docs:detail": LOGIN,
    "normative_docs:edit": LOGIN,
    "normative_docs:procedure": LOGIN,
    "normative_docs:diff": LOGIN,
    "normative_docs:action": LOGIN,
    "normative_docs:filing-submit": LOGIN,
    "normative_docs:filing-queue": LOGIN,
    "normative_docs:filing-detail": LOGIN,
    "normative_docs:filing-action": LOGIN,
    "normative_docs:oversight": LOGIN,
    "normative_docs:statistics": LOGIN,
    "normative_docs:cleanup-list": LOGIN,
    "normative_docs:cleanup-detail": LOGIN,
    "normative_docs:suggestion-list": LOGIN,
    "normative_docs:suggestion-detail": LOGIN,
    "enforcement:list": LOGIN,
    "enforcement:create": LOGIN,
    "enforcement:detail": LOGIN,
    "enforcement:record-add": LOGIN,
    "enforcement:reveal": LOGIN,
    "enforcement:action": LOGIN,
    "enforcement_public:bodies": PUBLIC,
    "enforcement_public:body-detail": PUBLIC,
    "enforcement_public:notices": PUBLIC,
    "enforcement_public:notice-detail": PUBLIC,
    "enforcement:supervision": LOGIN,
    "enforcement:report": LOGIN,
    "enforcement:guidance-list": LOGIN,
    "enforcement:guidance-detail": LOGIN,
    "enforcement_reports:index": PUBLIC,
    "enforcement_reports:detail": PUBLIC,
    "enforcement_reports:guidance-list": PUBLIC,
    "enforcement_reports:guidance-detail": PUBLIC,
    "search:index": PUBLIC,
    "feeds:catalog": PUBLIC,
    "feeds:decisions": PUBLIC,
    "feeds:library": PUBLIC,
    "feeds:enforcement-notices": PUBLIC,
    "feeds:consultations": PUBLIC,
    "feeds:search": PUBLIC,
    "subscriptions:subscribe": PUBLIC,
    "subscriptions:sent": PUBLIC,
    "subscriptions:confirm": PUBLIC,
    "subscriptions:manage": PUBLIC,
    "subscriptions:unsubscribe": PUBLIC,
    "opendata:index": PUBLIC,
    "opendata:catalog": PUBLIC,
    "opendata:catalog-body": PUBLIC,
    "opendata:catalogs": PUBLIC,
    "opendata:normative-documents": PUBLIC,
    "opendata:enforcement-notices": PUBLIC,
    "consultations:list": PUBLIC,
    "consultations:detail": PUBLIC,
    "consultations:comment": PUBLIC,
    "consultations:track": PUBLIC,
    "consultations:manage": LOGIN,
    "consultations:comment-moderate": LOGIN,
    "consultations:comment-dispose": LOGIN,
    "consultations:summary-publish": LOGIN,
    "public:catalog-body": PUBLIC,
    "contracts:list": LOGIN,
    "contracts:new": LOGIN,
    "contracts:attachments": LOGIN,
    "contracts:detail": LOGIN,
    "contracts:edit": LOGIN,
    "contracts:action": LOGIN,
    "contracts:milestone-done": LOGIN,
    "contracts:cleanup": LOGIN,
}
SAMPLE_KWARGS = {"pk": 1, "user_id": 1, "year": 2026, "kind": Procedure.PUBLIC_COMMENT, "other_pk": 2,
                 "action": "start-drafting", "comment_pk": 1, "body": "wuxing-zhili", "code": "wuxing-zhili"}


def page_routes() -> dict[str, URLPattern]:
    """Every named route of the page namespaces, walked from the root URLconf. (The calendar
    feed, outside these namespaces, is answered by its secret token: tests/deadlines/test_feed.py.)"""
    routes = {}
    for namespace in ("public", "workbench", "reviews", "decisions", "deadlines", "library", "normative_docs", "enforcement",
                      "enforcement_public", "enforcement_reports", "opendata", "feeds", "search", "consultations",
                      "subscriptions", "transparency", "contracts"):
        _prefix, resolver = get_resolver().namespace_dict[namespace]
        for pattern in resolver.url_patterns:
            assert isinstance(pattern, URLPattern), f"{namespace}: nested include {pattern} is not walked"
            routes[f"{namespace}:{pattern.name}"] = pattern
    return routes


def route_url(name: str, pattern: URLPattern) -> str:
    return reverse(name, kwargs={key: SAMPLE_KWARGS[key] for key in pattern.pattern.converters})


def test_every_page_route_is_classified_public_or_login_required():
    routes = page_routes()
    unclassified = sorted(set(routes) - set(ROUTES))
    stale = sorted(set(ROUTES) - set(routes))
    assert not unclassified, f"classify these routes in ROUTES: {unclassified}"
    assert not stale, f"routes no longer exist: {stale}"


def test_only_routes_classified_public_are_exempt_from_login():
    exempt = {name for name, pattern in page_routes().items()
              if getattr(pattern.callback, "login_required", True) is False}
    assert exempt == {name for name, kind in ROUTES.items() if kind == PUBLIC}


@pytest.mark.parametrize("name", sorted(name for name, kind in ROUTES.items() if kind == LOGIN))
def test_anonymous_get_of_a_login_required_route_redirects_to_login(client, db, name):
    url = route_url(name, page_routes()[name])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def library_kwargs() -> dict:
    """A public normative document with a published attachment, for the library's routes."""
    document = factories.normative_document_in_state(NormativeStatus.PUBLISHED)
    attachment = attachment_add(subject=document, uploaded_file=factories.pdf_file(), actor=document.created_by,
                                purpose="published")
    return {"pk": document.pk, "other_pk": document.pk, "attachment_pk": attachment.pk, "number": "审建〔2026〕1号"}


def enforcement_public_kwargs(name: str) -> dict:
    """A published enforcement notice and its body, for the public enforcement routes."""
    from enforcement.services import case_publish_notice
    from enforcement.workflow import CaseStatus

    officer = factories.enforcement_officer()
    notice = case_publish_notice(actor=officer, case_id=factories.case_in_state(CaseStatus.DECIDED, officer=officer).pk)
    return {"pk": notice.pk if name.endswith(":notice-detail") else officer.department_id}


def enforcement_reports_kwargs(name: str) -> dict:
    """A published annual report (year) or a published guidance case (pk), for the public report routes."""
    from enforcement.guidance import guidance_decide, guidance_propose
    from enforcement.reports import report_publish
    from enforcement.workflow import CaseStatus

    if name.endswith(":detail"):
        return {"year": report_publish(actor=factories.office(), year=2025).year}  # a year that has ended
    if name.endswith(":guidance-detail"):
        officer = factories.enforcement_officer()
        case = factories.case_in_state(CaseStatus.CLOSED, officer=officer)
        guidance = guidance_propose(actor=officer, case_id=case.pk, title="指导案例", key_points="裁判要点。")
        return {"pk": guidance_decide(actor=factories.supervisor(), guidance_id=guidance.pk, publish=True).pk}
    return {}


def subscriptions_kwargs(name: str) -> dict:
    """A pending e-mail subscription's secret (signed for the confirm link), for the subscription routes."""
    from subscriptions.services import confirm_token, subscription_request

    subscription = subscription_request(email="reader@example.com", topics=["decisions"], client_key="test")
    return {"token": confirm_token(subscription) if name.endswith(":confirm") else subscription.token}


def consultation_kwargs() -> dict:
    """An open public consultation, for the consultation routes."""
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        decision = factories.decision_in_state(DecisionStatus.CONSULTING)
        services.decision_open_public_comment(actor=decision.created_by, decision_id=decision.pk,
                                              opened_on=dt.date(2026, 5, 11), closes_on=dt.date(2026, 6, 10),
                                              channel="湖州市人民政府网站")
    from consultations.models import Consultation

    return {"pk": Consultation.objects.get(object_id=decision.pk).pk}


@pytest.mark.parametrize("name", sorted(name for name, kind in ROUTES.items() if kind == PUBLIC))
def test_anonymous_get_of_a_public_route_is_answered_without_login(client, db, name):
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        decision = factories.decision_in_state(DecisionStatus.EXECUTING)
    catalog = CatalogFactory(year=2026, status=Catalog.Status.PUBLISHED, party_consent_on=dt.date(2026, 3, 10),
                             published_at=timezone.make_aware(dt.datetime(2026, 3, 20, 9, 0)))
    pattern = page_routes()[name]
    kwargs = library_kwargs() if name.startswith("library:") else {"pk": decision.pk, "year": 2026}
    if name.startswith("enforcement_public:"):
        kwargs = enforcement_public_kwargs(name)
    if name.startswith("subscriptions:"):
        kwargs = subscriptions_kwargs(name)
    if name.startswith("enforcement_reports:"):
        kwargs = enforcement_reports_kwargs(name)
    if name.startswith("consultations:"):
        kwargs = consultation_kwargs()
    if name in ("public:catalog-body", "opendata:catalog-body"):
        CatalogFactory(body=factories.department("wuxing-zhili"), year=2026, status=Catalog.Status.PUBLISHED,
                       party_consent_on=dt.date(2026, 3, 10), published_at=timezone.make_aware(dt.datetime(2026, 3, 20)))
        kwargs = {"year": 2026, "body": "wuxing-zhili"}
    if name == "public:catalog-item":
        kwargs = {"pk": CatalogItemFactory(catalog=Catalog.objects.filter(year=2026).first()).pk, "year": 2026}
    if name == "public:catalog-item":
        kwargs = {"year": 2026, "pk": CatalogItemFactory(catalog=catalog).pk}
    if name.startswith("transparency:"):
        from core.checkpoints import checkpoint_create

        kwargs = {"pk": checkpoint_create(force=True).pk}
    response = client.get(reverse(name, kwargs={key: kwargs[key] for key in pattern.pattern.converters}))
    assert response.status_code == 200
