"""The public enforcement pages: 事前公开 (bodies) and 事后公开 (notices), read without an account."""
import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Department
from deadlines.models import LegalClock
from enforcement import services
from enforcement.models import Case, OfficerCertificate, Power, PublicNotice
from enforcement.workflow import CaseStatus as C
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 11)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


def notice_row(code: str = "hz-amr", *, published_on: dt.date = TODAY, takedown_on: dt.date | None = None,
               withdrawn_on: dt.date | None = None, seed: int = 1, **fields) -> PublicNotice:
    """A notice row without the whole case lifecycle, for list, filter and query-count tests;
    the masked columns are what the publishing service would store."""
    body = factories.department(code)
    creator = factories.staff(code)
    case = Case.objects.create(body=body, title=f"测试案件{seed}", clue_source="日常检查", clue_received_on=published_on,
                               key_area="food_drug", kind="specialised", party_type="person", party_name="李四",
                               party_id_number=factories.valid_resident_id(seed), created_by=creator)
    values = {"title": f"{body.name}行政处罚决定信息公开（第{seed}号）", "body_name": body.name,
              "decision_number": f"湖罚〔{published_on.year}〕{seed}号", "party_masked": "李*",
              "id_masked": "3****************1", "content": "行政相对人：李*\n处理结果：罚款1000元",
              "published_on": published_on, "takedown_on": takedown_on or published_on + dt.timedelta(days=365),
              "withdrawn_on": withdrawn_on, **fields}
    return PublicNotice.objects.create(case=case, **values)


def published_notice(**data) -> PublicNotice:
    officer = factories.enforcement_officer()
    case = factories.case_in_state(C.DECIDED, officer=officer, **data)
    return services.case_publish_notice(actor=officer, case_id=case.pk)


# ================================================================== 事前公开: bodies
def test_bodies_list_shows_bodies_with_a_profile_power_or_valid_certificate(client):
    factories.enforcement_officer("hz-nrp")  # certificate only
    Power.objects.create(body=factories.department("hz-drc"), name="价格监督检查", legal_basis="《价格法》")
    response = client.get(reverse("enforcement_public:bodies"))
    assert response.status_code == 200
    codes = {body.code for body in response.context["bodies"]}
    assert {"hz-amr", "hz-eco", "hz-nrp", "hz-drc"} <= codes
    assert "hz-office" not in codes


def test_a_body_whose_only_certificate_has_expired_is_not_listed(client):
    factories.enforcement_officer("hz-nrp", valid_until=dt.date(2026, 5, 10))
    response = client.get(reverse("enforcement_public:bodies"))
    assert "hz-nrp" not in {body.code for body in response.context["bodies"]}


def test_bodies_list_counts_powers_and_valid_officers(client):
    factories.enforcement_officer()
    factories.enforcement_officer()
    factories.enforcement_officer(valid_until=dt.date(2026, 1, 1))
    response = client.get(reverse("enforcement_public:bodies"))
    amr = next(body for body in response.context["bodies"] if body.code == "hz-amr")
    assert (amr.power_count, amr.officer_count) == (2, 2)


def test_body_detail_shows_powers_basis_procedures_remedies_and_inspection_list(client):
    amr = factories.department("hz-amr")
    body = client.get(reverse("enforcement_public:body-detail", args=[amr.pk])).content.decode()
    assert "对虚假广告的行政处罚" in body and "《中华人民共和国广告法》第五十五条" in body
    assert "六十日内申请行政复议" in body  # remedies
    assert "食品生产经营监督检查" in body  # inspection list
    assert "法制审核（重大案件）" in body  # procedures


def test_body_detail_lists_only_officers_with_a_certificate_valid_today(client):
    valid = factories.enforcement_officer(full_name="王有效")
    expired = factories.enforcement_officer(full_name="赵过期", valid_until=dt.date(2026, 5, 10))
    future = factories.enforcement_officer(full_name="钱未到")
    OfficerCertificate.objects.filter(user=future).update(valid_from=dt.date(2026, 5, 12))
    response = client.get(reverse("enforcement_public:body-detail", args=[valid.department_id]))
    body = response.content.decode()
    assert [(o.name, o.certificate_number) for o in response.context["info"].officers] == [
        ("王有效", valid.enforcement_certificates.get().number)]
    assert "赵过期" not in body and expired.enforcement_certificates.get().number not in body
    assert "钱未到" not in body


def test_body_detail_shows_no_other_personal_data_of_officers(client):
    officer = factories.enforcement_officer(full_name="王有效", username="wang.youxiao", email="wang@example.gov.cn")
    body = client.get(reverse("enforcement_public:body-detail", args=[officer.department_id])).content.decode()
    assert "王有效" in body
    assert "wang.youxiao" not in body and "wang@example.gov.cn" not in body


def test_department_that_is_not_an_enforcement_body_is_404_like_a_missing_one(client):
    office = factories.department("hz-office")
    hidden = client.get(reverse("enforcement_public:body-detail", args=[office.pk]))
    missing_pk = Department.objects.order_by("-pk")[0].pk + 99
    missing = client.get(reverse("enforcement_public:body-detail", args=[missing_pk]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_bodies_list_query_count_does_not_grow_with_bodies(client, django_assert_max_num_queries):
    for code in ("hz-nrp", "hz-drc", "hz-office", "hz-justice"):
        for _ in range(3):
            factories.enforcement_officer(code)
    with django_assert_max_num_queries(2):
        response = client.get(reverse("enforcement_public:bodies"))
    assert len(response.context["bodies"]) >= 6


@pytest.mark.parametrize("officers", [1, 15])
def test_body_detail_query_count_is_fixed(client, django_assert_max_num_queries, officers):
    for _ in range(officers):
        factories.enforcement_officer()
    url = reverse("enforcement_public:body-detail", args=[factories.department("hz-amr").pk])
    with django_assert_max_num_queries(4):
        response = client.get(url)
    assert len(response.context["info"].officers) == officers


# ================================================================== 事后公开: notices
def test_notice_list_shows_live_notices_newest_first(client):
    older = notice_row(published_on=dt.date(2026, 3, 2), seed=1)
    newer = notice_row(published_on=dt.date(2026, 5, 8), seed=2)
    response = client.get(reverse("enforcement_public:notices"))
    assert [n.pk for n in response.context["page"]] == [newer.pk, older.pk]


def test_withdrawn_and_expired_notices_are_not_listed(client):
    live = notice_row(seed=1)
    notice_row(seed=2, withdrawn_on=TODAY, withdrawal_statement="原处罚决定已被复议机关撤销。")
    notice_row(seed=3, published_on=dt.date(2025, 5, 1), takedown_on=dt.date(2026, 5, 10))
    notice_row(seed=4, published_on=dt.date(2026, 5, 12))  # dated tomorrow: not yet public
    response = client.get(reverse("enforcement_public:notices"))
    assert [n.pk for n in response.context["page"]] == [live.pk]


def test_a_notice_is_taken_down_automatically_the_day_after_its_period_ends(client):
    notice = notice_row(published_on=dt.date(2025, 5, 12), takedown_on=dt.date(2026, 5, 12))
    url = reverse("enforcement_public:notice-detail", args=[notice.pk])
    assert [n.pk for n in client.get(reverse("enforcement_public:notices")).context["page"]] == [notice.pk]
    with time_machine.travel("2026-05-12 23:59 +0800", tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel("2026-05-13 00:01 +0800", tick=False):
        assert client.get(url).status_code == 404
        assert list(client.get(reverse("enforcement_public:notices")).context["page"]) == []


def test_notice_list_filters_by_body_and_year(client):
    amr_2026 = notice_row("hz-amr", seed=1)
    notice_row("hz-amr", seed=2, published_on=dt.date(2025, 12, 30))
    notice_row("hz-eco", seed=3)
    amr = factories.department("hz-amr")
    response = client.get(reverse("enforcement_public:notices"), {"body": amr.pk, "year": 2026})
    assert [n.pk for n in response.context["page"]] == [amr_2026.pk]
    assert response.context["form"].fields["year"].choices[1:] == [(2026, "2026年"), (2025, "2025年")]


def test_notice_list_ignores_an_invalid_filter(client):
    notice = notice_row()
    response = client.get(reverse("enforcement_public:notices"), {"body": "x", "year": "1900"})
    assert response.status_code == 200
    assert [n.pk for n in response.context["page"]] == [notice.pk]


def test_notice_list_is_paginated(client):
    for seed in range(1, 23):
        notice_row(seed=seed)
    first = client.get(reverse("enforcement_public:notices"))
    second = client.get(reverse("enforcement_public:notices") + "?" + first.context["page"].next_query)
    assert len(first.context["page"]) == 20 and len(second.context["page"]) == 2
    assert 'rel="next"' in first.content.decode() and 'rel="prev"' in second.content.decode()
    assert "共 22 条" in first.content.decode()


@pytest.mark.parametrize("count", [1, 30])
def test_notice_list_query_count_is_fixed(client, django_assert_max_num_queries, count):
    for seed in range(1, count + 1):
        notice_row("hz-amr" if seed % 2 else "hz-eco", seed=seed)
    amr = factories.department("hz-amr")
    with django_assert_max_num_queries(4):
        client.get(reverse("enforcement_public:notices"))
    with django_assert_max_num_queries(5):  # + the chosen body's lookup
        response = client.get(reverse("enforcement_public:notices"), {"body": amr.pk, "year": 2026})
    assert response.status_code == 200


def test_notice_detail_shows_the_masked_notice(client):
    notice = published_notice()
    case = notice.case
    body = client.get(reverse("enforcement_public:notice-detail", args=[notice.pk])).content.decode()
    assert notice.title in body and "张*" in body and notice.id_masked in body
    assert "罚款5000" in body
    assert case.party_id_number not in body and "张三" not in body and case.party_phone not in body
    assert "人民路88号" not in body


def test_expired_notice_is_404_like_a_missing_one(client):
    notice = notice_row(published_on=dt.date(2025, 1, 2), takedown_on=dt.date(2026, 1, 2))
    hidden = client.get(reverse("enforcement_public:notice-detail", args=[notice.pk]))
    missing = client.get(reverse("enforcement_public:notice-detail", args=[notice.pk + 1000]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_withdrawn_notice_shows_only_title_and_withdrawal_statement_as_410(client):
    notice = notice_row(content="行政相对人：李*\n主要违法事实：机密内容", withdrawn_on=TODAY,
                        withdrawal_statement="原行政处罚决定已被复议机关撤销，特此撤回。")
    response = client.get(reverse("enforcement_public:notice-detail", args=[notice.pk]))
    body = response.content.decode()
    assert response.status_code == 410
    assert notice.title in body and "原行政处罚决定已被复议机关撤销，特此撤回。" in body
    assert "机密内容" not in body and "李*" not in body and notice.id_masked not in body


def test_withdrawal_after_revocation_takes_the_notice_off_the_list(client):
    notice = published_notice()
    head = factories.enforcement_officer(head=True)
    services.case_revoke(actor=head, case_id=notice.case_id, reason="复议机关决定撤销。")
    services.notice_withdraw(actor=head, case_id=notice.case_id, statement="原处罚决定已撤销，撤回公开信息。")
    assert list(client.get(reverse("enforcement_public:notices")).context["page"]) == []
    response = client.get(reverse("enforcement_public:notice-detail", args=[notice.pk]))
    assert response.status_code == 410 and "原处罚决定已撤销" in response.content.decode()


def test_withdrawn_notice_is_404_after_its_publicity_period(client):
    notice = notice_row(published_on=dt.date(2025, 5, 1), takedown_on=dt.date(2026, 5, 1),
                        withdrawn_on=dt.date(2025, 6, 1), withdrawal_statement="撤回。")
    assert client.get(reverse("enforcement_public:notice-detail", args=[notice.pk])).status_code == 404


def test_withdrawal_statement_is_masked_on_the_way_out(client):
    id_number = factories.valid_resident_id(7)
    notice = notice_row(withdrawn_on=TODAY, withdrawal_statement=f"当事人（身份证{id_number}，电话13912345678）已申请复议。")
    body = client.get(reverse("enforcement_public:notice-detail", args=[notice.pk])).content.decode()
    assert id_number not in body and "13912345678" not in body


def test_public_pages_never_read_the_party_columns_of_a_case(client):
    notice = published_notice(fine="3000")
    amr = factories.department("hz-amr")
    urls = [reverse("enforcement_public:notices"), reverse("enforcement_public:notices") + f"?body={amr.pk}",
            reverse("enforcement_public:notice-detail", args=[notice.pk]), reverse("enforcement_public:bodies"),
            reverse("enforcement_public:body-detail", args=[amr.pk])]
    with CaptureQueriesContext(connection) as queries:
        for url in urls:
            assert client.get(url).status_code == 200
    sql = "\n".join(q["sql"] for q in queries.captured_queries)
    for column in ("party_id_number", "party_phone", "party_address", "party_name", "facts", "email", "password"):
        assert column not in sql


def test_public_pages_need_no_login(client):
    notice = notice_row()
    for url in (reverse("enforcement_public:bodies"), reverse("enforcement_public:notices"),
                reverse("enforcement_public:notice-detail", args=[notice.pk]),
                reverse("enforcement_public:body-detail", args=[factories.department("hz-amr").pk])):
        assert client.get(url).status_code == 200


def test_notice_of_a_no_penalty_decision_is_public_too(client):
    officer = factories.enforcement_officer()
    head = factories.enforcement_officer(head=True)
    case = factories.case_in_state(C.NOTIFIED, officer=officer, head_user=head, fine="0", penalty_types=("warning",))
    services.case_decide(actor=head, case_id=case.pk, outcome="no_penalty", no_penalty_ground="first_violation",
                         reason="初次违法，危害后果轻微并已及时改正。", fine=Decimal("0"),
                         **factories.first_violation_facts(case, officer))
    notice = services.case_publish_notice(actor=officer, case_id=case.pk)
    body = client.get(reverse("enforcement_public:notice-detail", args=[notice.pk])).content.decode()
    assert "首违不罚" in body


# ================================================================== the publicity deadline (R21)
def decided_on(day: str):
    with time_machine.travel(f"{day} 10:00 +0800", tick=False):
        officer = factories.enforcement_officer()
        return officer, factories.case_in_state(C.DECIDED, officer=officer)


def test_publicity_clock_of_a_penalty_decided_before_national_day_skips_the_holiday():
    """Counted by hand (国办发明电〔2025〕7号): decided Thu 24 Sep 2026; 25–27 Sep Mid-Autumn
    holiday; 28 Sep (1), 29 (2), 30 (3); 1–7 Oct National Day holiday; 8 Oct (4), 9 Oct (5),
    Sat 10 Oct make-up working day (6), Sun 11 Oct rest, Mon 12 Oct (7). Without the make-up
    Saturday the due day would be 13 Oct."""
    _officer, case = decided_on("2026-09-24")
    clock = LegalClock.objects.get(rule="enforcement.publicity_penalty", object_id=case.pk)
    assert case.decided_on == dt.date(2026, 9, 24) and case.decided_on.isoweekday() == 4
    assert clock.due_on == dt.date(2026, 10, 12)


@pytest.mark.parametrize("published", ["2026-10-08", "2026-10-10", "2026-10-12"])
def test_penalty_decided_before_national_day_and_published_after_it_is_on_time(client, published):
    officer, case = decided_on("2026-09-24")
    with time_machine.travel(f"{published} 16:00 +0800", tick=False):
        notice = services.case_publish_notice(actor=officer, case_id=case.pk)
        listed = [n.pk for n in client.get(reverse("enforcement_public:notices")).context["page"]]
    assert notice.on_time is True and listed == [notice.pk]
    assert notice.published_on == dt.date.fromisoformat(published)
    assert LegalClock.objects.get(rule="enforcement.publicity_penalty", object_id=case.pk).status == "stopped"


def test_penalty_published_after_the_seventh_working_day_is_flagged_late(client):
    officer, case = decided_on("2026-09-24")
    with time_machine.travel("2026-10-13 09:00 +0800", tick=False):
        notice = services.case_publish_notice(actor=officer, case_id=case.pk, late_reason="节前系统维护，延后公开。")
        listed = [n.pk for n in client.get(reverse("enforcement_public:notices")).context["page"]]
    assert notice.on_time is False
    assert listed == [notice.pk]  # late is still published; the supervision dashboard counts it
