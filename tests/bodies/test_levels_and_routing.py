"""Every body at every level (issue 16, domain.md §9): the reference hierarchy, each body's review
unit, a legality review routed to it, and scoping at every level — a township sees its own work, a
district's reviewers what is sent to them, the city's supervisors everything, the public only what
is published."""
import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.bodies import decision_body_for, review_unit_for, units_under
from core.models import Department, Role
from decisions.workflow import DecisionStatus
from reviews import services as review_services
from reviews.models import ReviewTask
from reviews.selectors import review_queue_for
from tests import factories

DISTRICTS = {"wuxing": "吴兴区", "nanxun": "南浔区", "deqing": "德清县", "changxing": "长兴县", "anji": "安吉县"}


@pytest.fixture(autouse=True)
def _calendar():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


# ================================================================== reference data
@pytest.mark.django_db
def test_the_five_districts_and_counties_each_have_a_justice_bureau_and_three_townships_with_a_sifasuo():
    for code, short in DISTRICTS.items():
        district = Department.objects.get(code=code)
        assert (district.short_name, district.level, district.is_decision_body) == (short, "county", True)
        assert district.review_unit.name == f"{short}司法局"
        townships = Department.objects.filter(parent=district, kind=Department.Kind.TOWNSHIP)
        assert townships.count() >= 3
        for township in townships:
            assert township.level == "township" and township.is_decision_body
            assert township.review_unit.kind == Department.Kind.JUSTICE_OFFICE
            assert township.review_unit.parent == district.review_unit  # the 司法所 belongs to the district's 司法局


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "unit"), [
    ("huzhou", "湖州市司法局"), ("hz-drc", "湖州市司法局"),
    ("wuxing", "吴兴区司法局"), ("wuxing-justice", "吴兴区司法局"),
    ("wuxing-zhili", "吴兴区司法局织里司法所"), ("anji-dipu", "安吉县司法局递铺司法所"),
])
def test_each_body_has_its_review_unit(code, unit):
    assert review_unit_for(Department.objects.get(code=code)).name == unit


@pytest.mark.django_db
def test_a_department_works_for_its_government_unless_it_adopts_its_own_catalog():
    drc = Department.objects.get(code="hz-drc")
    assert decision_body_for(drc).code == "huzhou"
    Department.objects.filter(pk=drc.pk).update(is_decision_body=True)
    drc.refresh_from_db()
    assert decision_body_for(drc) == drc


@pytest.mark.django_db
def test_a_district_holds_its_departments_and_townships_but_not_other_districts():
    under = units_under(Department.objects.get(code="wuxing"))
    codes = set(Department.objects.filter(pk__in=under).values_list("code", flat=True))
    assert {"wuxing", "wuxing-justice", "wuxing-zhili", "wuxing-zhili-sfs"} <= codes
    assert not codes & {"nanxun", "nanxun-lianshi", "huzhou", "hz-drc"}


# ================================================================== routing
def township_decision_in_review(code: str = "wuxing-zhili"):
    staff = factories.staff(code)
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW, staff_user=staff)
    return decision, ReviewTask.objects.get(object_id=decision.pk, kind="decision")


@pytest.mark.django_db
def test_a_township_decisions_legality_review_goes_to_its_sifasuo():
    _decision, task = township_decision_in_review()
    assert task.review_unit.code == "wuxing-zhili-sfs"


@pytest.mark.django_db
def test_a_city_departments_legality_review_goes_to_the_city_justice_bureau():
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW)
    assert ReviewTask.objects.get(object_id=decision.pk).review_unit.code == "hz-justice"


@pytest.mark.django_db
def test_the_sifasuo_reviews_the_township_decision_through_to_discussion():
    staff = factories.staff("wuxing-zhili")
    decision = factories.decision_in_state(DecisionStatus.READY_FOR_DISCUSSION, staff_user=staff,
                                           reviewer_user=factories.reviewer("wuxing-zhili-sfs"))
    assert decision.legality_passed


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["hz-justice", "wuxing-justice", "wuxing-feiying-sfs"])
def test_a_reviewer_of_another_unit_may_not_claim_the_township_review(code):
    """Another unit's task is not found at all (the same as a missing id)."""
    _decision, task = township_decision_in_review()
    with pytest.raises(ReviewTask.DoesNotExist):
        review_services.review_task_claim(task_id=task.pk, actor=factories.reviewer(code))


@pytest.mark.django_db
def test_a_review_lead_may_assign_only_reviewers_of_the_task_unit():
    _decision, task = township_decision_in_review()
    lead = factories.UserFactory(department=factories.department("wuxing-zhili-sfs"), roles=[Role.REVIEWER, Role.HEAD])
    with pytest.raises(Exception, match="本审查机构"):
        review_services.review_task_assign(task_id=task.pk, actor=lead, assignee_id=factories.reviewer().pk)
    colleague = factories.reviewer("wuxing-zhili-sfs")
    assert review_services.review_task_assign(task_id=task.pk, actor=lead, assignee_id=colleague.pk).assigned_to == colleague


# ================================================================== scoping at every level
WHO = {
    "sifasuo_reviewer": lambda: factories.reviewer("wuxing-zhili-sfs"),
    "other_sifasuo_reviewer": lambda: factories.reviewer("wuxing-feiying-sfs"),
    "district_reviewer": lambda: factories.reviewer("wuxing-justice"),
    "city_reviewer": lambda: factories.reviewer("hz-justice"),
    "city_supervisor": factories.supervisor,
    "own_township_staff": lambda: factories.staff("wuxing-zhili"),
    "other_township_staff": lambda: factories.staff("wuxing-balidian"),
    "district_staff": lambda: factories.staff("wuxing"),
    "city_staff": lambda: factories.staff("hz-drc"),
    "anonymous": lambda: None,
}
# (who, review queue lists it, review page, decision page)
SCOPING = [
    ("sifasuo_reviewer", True, 200, 200),
    ("other_sifasuo_reviewer", False, 404, 404),
    ("district_reviewer", False, 404, 404),
    ("city_reviewer", False, 404, 404),
    ("city_supervisor", True, 200, 200),
    ("own_township_staff", False, 404, 200),
    ("other_township_staff", False, 404, 404),
    ("district_staff", False, 404, 404),
    ("city_staff", False, 404, 404),
    ("anonymous", False, 302, 302),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "listed", "review_page", "decision_page"), SCOPING, ids=[row[0] for row in SCOPING])
def test_a_township_decision_under_review_is_seen_only_within_its_scope(client, who, listed, review_page,
                                                                        decision_page):
    decision, task = township_decision_in_review()
    user = WHO[who]()
    if user is not None:
        client.force_login(user)
        assert (task in review_queue_for(user=user)) is listed
    assert client.get(reverse("reviews:review-detail", args=[task.pk])).status_code == review_page
    assert client.get(reverse("decisions:detail", args=[decision.pk])).status_code == decision_page


@pytest.mark.django_db
def test_a_district_reviewer_sees_what_its_district_sends():
    staff = factories.staff("wuxing")
    decision = factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW, staff_user=staff)
    task = ReviewTask.objects.get(object_id=decision.pk)
    assert task in review_queue_for(user=factories.reviewer("wuxing-justice"))
    assert task not in review_queue_for(user=factories.reviewer("nanxun-justice"))


# ================================================================== the decision body acts
@pytest.mark.django_db
def test_a_township_decision_is_discussed_and_published_by_the_township_not_the_city_office():
    from decisions import services as decision_services
    from decisions.workflow import DecisionStatus as S

    staff = factories.staff("wuxing-zhili")
    decision = factories.decision_in_state(S.READY_FOR_DISCUSSION, staff_user=staff)
    with pytest.raises(PermissionDenied):
        decision_services.decision_record_meeting(actor=factories.office(), decision_id=decision.pk,
                                                  data=factories.meeting_data())
    head = factories.UserFactory(department=factories.department("wuxing-zhili"), roles=[Role.STAFF, Role.HEAD])
    decision_services.decision_record_meeting(actor=head, decision_id=decision.pk, data=factories.meeting_data())
    assert factories.decision_in_state(S.EXECUTING, staff_user=staff).status == S.EXECUTING


@pytest.mark.django_db
def test_the_city_office_still_acts_for_the_city_departments_decisions():
    from decisions.workflow import DecisionStatus as S

    assert factories.decision_in_state(S.EXECUTING, office_user=factories.office()).status == S.EXECUTING
