"""The supervision dashboard: cases past day 90, decisions not published on time, major
decisions without legal review, the same business opened by several bodies within 30 days;
who may see it, the body filter, masking and fixed query counts."""
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from enforcement import services
from enforcement import supervision as selectors
from enforcement.models import BodyProfile, Case
from enforcement.workflow import CaseStatus as C
from tests import factories

pytestmark = pytest.mark.django_db
NOW = "2026-05-11"
FEW, MANY = 1, 4
URL = "/enforcement/supervision/"


def on(day: str):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


class Body:
    """Officers and the head of one enforcement body."""

    def __init__(self, code: str):
        self.officer = factories.enforcement_officer(code)
        self.colleague = factories.enforcement_officer(code)
        self.head = factories.enforcement_officer(code, head=True)

    def case(self, target: str, day: str, **kwargs):
        with on(day):
            return factories.case_in_state(target, officer=self.officer, colleague=self.colleague,
                                           head_user=self.head, **kwargs)

    def decide_without_penalty(self, case, day: str):
        with on(day):
            return services.case_decide(actor=self.head, case_id=case.pk, outcome="no_penalty",
                                        no_penalty_ground="minor", reason="违法行为轻微并已及时改正，没有造成危害后果。")


@pytest.fixture
def amr():
    return Body("hz-amr")


@pytest.fixture
def eco():
    return Body("hz-eco")


def dashboard(client, user, **params):
    client.force_login(user)
    with on(NOW):
        return client.get(URL, params)


def pks(page) -> list[int]:
    return [c.pk for c in page]


# ---------------------------------------------------------------- (a) past day 90
def test_an_open_case_past_its_day_90_is_listed(client, supervisor_user, amr):
    late = amr.case(C.INVESTIGATING, "2026-01-05", seed=1)     # day 90 = 2026-04-05 (清明)
    recent = amr.case(C.INVESTIGATING, "2026-04-01", seed=2)   # due 2026-06-30
    decided = amr.case(C.DECIDED, "2026-01-06", seed=3)        # decided on time, clock stopped

    response = dashboard(client, supervisor_user)

    assert response.status_code == 200
    assert pks(response.context["overdue"]) == [late.pk]
    case = response.context["overdue"][0]
    assert str(case.decision_due_on) == "2026-04-07" and case.days_overdue == 34  # day 90 in 清明 moves on
    assert recent.pk not in pks(response.context["overdue"]) and decided.pk not in pks(response.context["overdue"])


def test_a_paused_clock_past_due_still_counts_as_open(supervisor_user, amr):
    case = amr.case(C.INVESTIGATING, "2026-01-05", seed=1)
    with on("2026-05-01"):
        services.case_pause(actor=amr.head, case_id=case.pk, reason_kind="testing", reason="检测")
    with on(NOW):
        listed = pks(selectors.overdue_open_cases(user=supervisor_user))
    assert listed == [case.pk]


# ---------------------------------------------------------------- (b) publicity late
def test_unpublished_and_late_published_decisions_are_listed(client, office_user, amr):
    unpublished = amr.case(C.DECIDED, "2026-03-02", seed=1)      # publicity due 7 WD later
    published_late = amr.case(C.DECIDED, "2026-03-02", seed=2)
    with on("2026-04-20"):
        notice = services.case_publish_notice(actor=amr.officer, case_id=published_late.pk,
                                              late_reason="当事人申请行政复议，待复议机关意见后公开。")
    published_on_time = amr.case(C.DECIDED, "2026-03-02", seed=3)
    with on("2026-03-04"):
        services.case_publish_notice(actor=amr.officer, case_id=published_on_time.pk)
    not_yet_due = amr.case(C.DECIDED, "2026-05-08", seed=4)

    response = dashboard(client, office_user)

    assert not notice.on_time
    late = response.context["late"]
    assert sorted(pks(late)) == sorted([unpublished.pk, published_late.pk])
    assert not_yet_due.pk not in pks(late) and published_on_time.pk not in pks(late)
    rows = {c.pk: c for c in late}
    assert rows[unpublished.pk].notice_published_on is None and rows[unpublished.pk].publicity_due_on
    assert str(rows[published_late.pk].notice_published_on) == "2026-04-20"
    body = response.content.decode()
    assert "逾期未公开" in body and "2026年4月20日逾期公开" in body
    assert "逾期理由：当事人申请行政复议，待复议机关意见后公开。" in body


# ---------------------------------------------------------------- (c) no legal review
def test_decisions_with_a_review_ground_and_no_review_are_listed(client, supervisor_user, amr):
    complex_case = amr.case(C.INVESTIGATING, "2026-03-02", seed=1, complex_case=True)
    amr.decide_without_penalty(complex_case, "2026-03-20")
    lowered = amr.case(C.DECIDED, "2026-03-02", seed=2, fine="8000")
    reviewed = amr.case(C.DECIDED, "2026-03-02", seed=3, fine="50000")   # legal review passed
    ordinary = amr.case(C.DECIDED, "2026-03-02", seed=4, fine="3000")
    # the body lowers its catalog threshold: the 8,000 fine to a natural person is above it now
    BodyProfile.objects.filter(body__code="hz-amr").update(review_threshold_person=Decimal("5000"))

    response = dashboard(client, supervisor_user)

    page = response.context["unreviewed"]
    assert sorted(pks(page)) == sorted([complex_case.pk, lowered.pk])
    grounds = {c.pk: [str(g) for g in c.ground_labels] for c in page}
    assert grounds[complex_case.pk] == ["案件情况疑难复杂、涉及多个法律关系"]
    assert grounds[lowered.pk] == ["罚没金额超过本机关法制审核目录标准"]
    assert reviewed.pk not in pks(page) and ordinary.pk not in pks(page)


def test_sql_grounds_agree_with_the_service_function(supervisor_user, amr):
    case = amr.case(C.INVESTIGATING, "2026-03-02", seed=1, public_interest=True)
    amr.decide_without_penalty(case, "2026-03-20")
    decided = selectors.with_review_grounds(Case.objects.filter(pk=case.pk)).get()
    assert decided.review_needed and decided.ground_public_interest and not decided.ground_amount
    assert services.legal_review_grounds(decided) == ["public_interest"]


# ---------------------------------------------------------------- (d) same party, several bodies
def test_the_same_party_opened_by_two_bodies_within_30_days_is_listed_masked(client, supervisor_user, amr, eco):
    first = amr.case(C.INVESTIGATING, "2026-03-02", seed=7)
    second = eco.case(C.INVESTIGATING, "2026-03-30", seed=7)
    far_apart = [amr.case(C.INVESTIGATING, "2026-01-05", seed=8), eco.case(C.INVESTIGATING, "2026-03-02", seed=8)]
    same_body = [amr.case(C.INVESTIGATING, "2026-03-02", seed=9), amr.case(C.INVESTIGATING, "2026-03-03", seed=9)]

    response = dashboard(client, supervisor_user)

    page = response.context["same_party"]
    assert pks(page) == [first.pk, second.pk]
    assert [c.new_party for c in page] == [True, False]
    body = response.content.decode()
    id_number = factories.valid_resident_id(7)
    assert id_number not in body
    assert f"{id_number[:6]}********{id_number[-4:]}" in body and "张*" in body
    for case in far_apart + same_body:
        assert case.pk not in pks(page)


def test_the_body_filter_keeps_a_partys_cases_of_every_body(supervisor_user, amr, eco):
    first = amr.case(C.INVESTIGATING, "2026-03-02", seed=7)
    second = eco.case(C.INVESTIGATING, "2026-03-30", seed=7)
    amr_body, eco_body = first.body_id, second.body_id
    other = factories.department("hz-nrp").pk
    with on(NOW):
        assert pks(selectors.same_party_several_bodies(user=supervisor_user, body_id=eco_body)) == [first.pk, second.pk]
        assert pks(selectors.same_party_several_bodies(user=supervisor_user, body_id=other)) == []
        assert pks(selectors.overdue_open_cases(user=supervisor_user, body_id=amr_body)) == []


def test_the_body_filter_narrows_the_lists(client, supervisor_user, amr, eco):
    amr_late = amr.case(C.INVESTIGATING, "2026-01-05", seed=1)
    eco_late = eco.case(C.INVESTIGATING, "2026-01-05", seed=2)

    everything = dashboard(client, supervisor_user)
    only_eco = dashboard(client, supervisor_user, body=eco_late.body_id)

    assert sorted(pks(everything.context["overdue"])) == sorted([amr_late.pk, eco_late.pk])
    assert pks(only_eco.context["overdue"]) == [eco_late.pk]


# ---------------------------------------------------------------- permissions
@pytest.mark.parametrize("who", ["officer", "head", "staff", "reviewer"])
def test_others_than_supervisors_and_the_office_get_403(client, amr, who):
    user = {"officer": lambda: amr.officer, "head": lambda: amr.head, "staff": factories.staff,
            "reviewer": factories.legal_reviewer}[who]()
    assert dashboard(client, user).status_code == 403


def test_anonymous_visitor_goes_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_selectors_refuse_a_body_officer(amr):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        selectors.overdue_open_cases(user=amr.officer)


# ---------------------------------------------------------------- query counts
def problems(amr: Body, eco: Body, rows: int) -> None:
    for n in range(rows):
        amr.case(C.INVESTIGATING, "2026-01-05", seed=100 + n)                  # (a) and, with eco, (d)
        eco.case(C.INVESTIGATING, "2026-01-20", seed=100 + n)
        amr.case(C.DECIDED, "2026-03-02", seed=200 + n)                        # (b)
        complex_case = eco.case(C.INVESTIGATING, "2026-03-02", seed=300 + n, complex_case=True)
        eco.decide_without_penalty(complex_case, "2026-03-03")                 # (b) and (c)


@pytest.mark.parametrize("rows", [FEW, MANY], ids=["few", "many"])
def test_dashboard_query_count(client, supervisor_user, amr, eco, django_assert_max_num_queries, rows):
    problems(amr, eco, rows)
    client.force_login(supervisor_user)
    with on(NOW), django_assert_max_num_queries(15):  # + cases decided after day 90 (count and page)
        response = client.get(URL)
    assert response.context["overdue"].paginator.count == 2 * rows
    assert response.context["late"].paginator.count == 2 * rows
    assert response.context["unreviewed"].paginator.count == rows
    assert response.context["same_party"].paginator.count == 2 * rows
