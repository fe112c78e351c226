"""Demo enforcement cases of 市市场监管局 (hz-amr: demo_officer and demo_officer2 investigate,
demo_enforcement_head approves and decides) and 市生态环境局 (hz-eco), built through the real
services with the dates replayed; demo_reviewer (市司法局, legal qualification) reviews in the
shared queue. As of late November 2026 the demo shows:

- a full case: opened, inspected, goods seized on audio-video, notice, hearing requested,
  scheduled and held, legal review passed, decided (fine), served, published masked on time,
  paid and closed;
- an open case past its day-90 deadline (overdue on the supervision dashboard);
- a decision not published within its seven working days;
- a 首违不罚 no-penalty decision, published;
- the same company inspected by 市生态环境局 within 30 days of 市场监管 (multi-body inspection);
- a case waiting in the shared legal-review queue now.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from core.models import Department, Role, User
from deadlines import services as deadline_services
from decisions.demo import on, pdf
from reviews import services as review_services
from reviews.checklist import checklist_for
from reviews.models import ReviewTask

from . import masking, reminders, services
from .models import Case, OfficerCertificate, RecordEntry

FOOD_BASIS = "《中华人民共和国食品安全法》第三十四条第（十）项、第一百二十四条第一款第（五）项"


def resident_id(first17: str) -> str:
    """A demo resident ID with its correct check character (GB 11643)."""
    return first17 + masking.id_check_character(first17)


COMPANY = ("湖州南太湖某食品有限公司", "91330502MA2D8K7Q3X", "0572-2345678", "浙江省湖州市吴兴区织里镇工业园区8号")


def _certify(user: User, number: str, *, body: Department | None = None, valid_from: str = "2024-01-01",
             valid_until: str = "2028-12-31", legal: bool = False) -> None:
    OfficerCertificate.objects.create(user=user, body=body or user.department, number=number,
                                      valid_from=dt.date.fromisoformat(valid_from),
                                      valid_until=dt.date.fromisoformat(valid_until), legal_qualification=legal)


def _background_user(username: str, full_name: str, code: str, roles: list[str]) -> User:
    """A person of the story who does not log in to the demo."""
    user = User(username=username, full_name=full_name, department=Department.objects.get(code=code), roles=roles)
    user.set_unusable_password()
    user.save()
    return user


def _checklist() -> dict:
    return {key: {"answer": "yes", "note": ""} for key, _label, _basis in checklist_for("enforcement")}


def _at(day: str, hour: str = "09:30") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hour}:00+08:00")


class Team:
    """The officers of one body acting day by day through the services."""

    def __init__(self, officer: User, officer2: User, head: User):
        self.officer, self.officer2, self.head = officer, officer2, head

    @property
    def ids(self) -> list[int]:
        return [self.officer.pk, self.officer2.pk]

    def register(self, day: str, **data) -> Case:
        with on(day):
            return services.case_register_clue(actor=self.officer, data={"clue_received_on": dt.date.fromisoformat(day),
                                                                        **data})

    def open(self, case: Case, day: str) -> None:
        with on(day):
            services.case_open(actor=self.head, case_id=case.pk, officer_ids=self.ids, note="经审查，符合立案条件。")

    def record(self, case: Case, day: str, kind: str, place: str, summary: str, *, files=(),
               hour: str = "09:30") -> RecordEntry:
        with on(day):
            return services.case_add_record(actor=self.officer, case_id=case.pk, kind=kind, happened_at=_at(day, hour),
                                            place=place, summary=summary, officer_ids=self.ids,
                                            has_audio_video=bool(files), files=list(files))


def load(*, officer: User, officer2: User, head: User, reviewer: User) -> None:
    eco = Department.objects.get(code="hz-eco")
    # ------------------------------------------------------------ certified officers (事前公开)
    _certify(officer, "33050226001")
    _certify(officer2, "33050226002")
    _certify(head, "33050226003", valid_from="2023-01-01")
    expired = _background_user("amr_officer_expired", "钱立新", "hz-amr", [Role.STAFF])
    _certify(expired, "33050221017", valid_from="2021-01-01", valid_until="2025-12-31")
    _certify(reviewer, "FZ33050020001", legal=True)  # 法律职业资格: may review in the shared queue
    eco_team = Team(_background_user("eco_officer1", "冯清源", "hz-eco", [Role.STAFF]),
                    _background_user("eco_officer2", "何碧水", "hz-eco", [Role.STAFF]),
                    _background_user("eco_head", "许局长", "hz-eco", [Role.STAFF, Role.HEAD]))
    for number, user in enumerate((eco_team.officer, eco_team.officer2, eco_team.head), start=1):
        _certify(user, f"3305023600{number}", body=eco)
    amr_team = Team(officer, officer2, head)

    _full_case(amr_team, reviewer)
    overdue = _overdue_case(amr_team)
    _eco_case_of_the_same_company(eco_team, overdue)
    _not_published_on_time(amr_team)
    _first_violation_not_punished(amr_team)
    _in_legal_review_now(amr_team)


# ================================================================== 1. the full case
def _full_case(team: Team, reviewer: User) -> Case:
    case = team.register(
        "2026-08-03", title="销售超过保质期食品案", clue_source="群众投诉（12315平台）", key_area="food_drug",
        kind="specialised", ways=["reasoned"], party_type="person", party_name="陈建国",
        party_id_number=resident_id("33050219780415203"), party_phone="13905721234",
        party_address="浙江省湖州市吴兴区爱山街道人民路88号",
        facts="当事人陈建国（个体工商户“吴兴区建国副食店”经营者）在其店内销售超过保质期的预包装食品。")
    team.open(case, "2026-08-04")
    team.record(case, "2026-08-05", "inspection", "吴兴区爱山街道人民路88号建国副食店",
                "执法人员出示执法证件，现场检查发现货架上摆放超过保质期的饮料、饼干共计236件，当事人在场。")
    team.record(case, "2026-08-06", "questioning", "市市场监管局吴兴分局询问室",
                "询问当事人，当事人承认上述食品系自2026年6月起陆续销售，违法所得约1800元。", hour="14:00")
    seizure = team.record(case, "2026-08-12", "seizure", "吴兴区爱山街道人民路88号建国副食店",
                          "依法扣押超过保质期食品236件，制作扣押决定书和财物清单，全程音像记录。",
                          files=[pdf("扣押现场执法记录仪音像记录说明.pdf"), pdf("扣押财物清单.pdf")])
    with on("2026-08-20"):
        services.case_notify(actor=team.officer, case_id=case.pk,
                             facts="当事人销售超过保质期的预包装食品236件，货值金额4780元，违法所得1800元。",
                             penalty_types=["fine", "confiscation"], fine=Decimal("50000"), basis=FOOD_BASIS)
    with on("2026-08-24"):
        services.case_request_hearing(actor=team.officer, case_id=case.pk, requested_on=dt.date(2026, 8, 24))
    with on("2026-08-25"):
        services.case_schedule_hearing(actor=team.officer, case_id=case.pk, hearing_on=dt.date(2026, 9, 2),
                                       notice_on=dt.date(2026, 8, 25), chair_id=team.head.pk)
    with on("2026-09-02"):
        services.case_hold_hearing(actor=team.head, case_id=case.pk,
                                   record="当事人到场陈述申辩，称系初次经营疏忽；调查人员出示证据，当事人对事实无异议，请求从轻处罚。")
    with on("2026-09-03"):
        services.case_submit_for_legal_review(actor=team.officer, case_id=case.pk,
                                              note="经过听证程序，罚款数额超过法制审核目录标准，报请法制审核。")
    task = ReviewTask.objects.get(object_id=case.pk, kind=ReviewTask.Kind.ENFORCEMENT, status=ReviewTask.Status.OPEN)
    with on("2026-09-04"):
        review_services.review_task_claim(task_id=task.pk, actor=reviewer)
    with on("2026-09-08"):
        review_services.review_task_decide(task_id=task.pk, actor=reviewer, outcome="passed", checklist=_checklist(),
                                           early_reason="案件事实清楚、材料齐全，经法制审核机构负责人同意提前审核。",
                                           opinion="经审核，执法主体合法，事实清楚，证据确凿，适用依据正确，程序合法，裁量适当。")
    with on("2026-09-09"):
        services.case_decide(actor=team.head, case_id=case.pk, outcome="penalty",
                             decision_number="湖市监罚〔2026〕58号", penalty_types=["fine", "confiscation"],
                             fine=Decimal("50000"), reason="听证后维持告知的处罚内容。")
        # the seized goods are confiscated by the decision: the seizure ends
        deadline_services.clock_stop(subject=seizure, rule=reminders.SEIZURE, actor=team.head,
                                     note="作出没收决定，扣押措施结束")
    with on("2026-09-10"):
        services.case_serve(actor=team.officer, case_id=case.pk, served_on=dt.date(2026, 9, 10))
    with on("2026-09-11"):
        services.case_publish_notice(actor=team.officer, case_id=case.pk)
    with on("2026-09-22"):
        services.case_record_payment(actor=team.officer, case_id=case.pk, paid_on=dt.date(2026, 9, 22),
                                     amount=Decimal("50000"))
    with on("2026-09-24"):
        services.case_close(actor=team.head, case_id=case.pk, note="罚没款已缴清，执行完毕。")
    return case


# ================================================================== 2. past day 90
def _overdue_case(team: Team) -> Case:
    name, code, phone, address = COMPANY
    case = team.register(
        "2026-08-21", title="生产经营标签不符合规定的预包装食品案", clue_source="食品安全监督抽检", key_area="food_drug",
        kind="specialised", ways=["off_site"], party_type="organisation", party_name=name, party_id_number=code,
        party_phone=phone, party_address=address, complex_case=True,
        facts="抽检发现当事人生产的“太湖白虾仁”标签未标注生产许可证编号。")
    team.open(case, "2026-08-24")  # day 90: Sun 22 Nov, rolled to Mon 23 Nov
    team.record(case, "2026-08-25", "inspection", address, "现场检查生产车间和成品仓库，查见同批次产品1260袋。")
    team.record(case, "2026-09-02", "evidence", address, "调取生产记录、销售台账和进货查验记录，当事人签字确认。")
    return case


# ================================================================== 3. the same company at another body
def _eco_case_of_the_same_company(team: Team, other: Case) -> Case:
    case = team.register(
        "2026-09-07", title="超标排放水污染物案", clue_source="在线监测数据异常", key_area="environment",
        kind="specialised", ways=["off_site", "contactless"], party_type=other.party_type,
        party_name=other.party_name, party_id_number=other.party_id_number, party_phone=other.party_phone,
        party_address=other.party_address, facts="在线监测显示当事人废水总排口化学需氧量超标排放。")
    team.open(case, "2026-09-08")
    team.record(case, "2026-09-08", "inspection", other.party_address,
                "现场检查污水处理设施运行情况，委托第三方监测机构采样。", hour="15:00")
    return case


# ================================================================== 4. not published on time
def _not_published_on_time(team: Team) -> Case:
    case = team.register(
        "2026-10-12", title="未按规定公示食品经营许可证案", clue_source="日常监督检查", key_area="food_drug",
        kind="comprehensive", ways=["reasoned"], party_type="organisation", party_name="湖州某连锁超市有限公司",
        party_id_number="91330501MA28F3LK2W", party_phone="0572-2123456",
        party_address="浙江省湖州市吴兴区龙溪街道青铜路66号", facts="当事人未在经营场所显著位置公示食品经营许可证。")
    team.open(case, "2026-10-13")
    team.record(case, "2026-10-14", "inspection", "吴兴区龙溪街道青铜路66号", "现场检查，经营场所未悬挂食品经营许可证。")
    with on("2026-10-19"):
        services.case_notify(actor=team.officer, case_id=case.pk,
                             facts="当事人未按规定公示食品经营许可证，经责令后仍未改正。",
                             penalty_types=["warning", "fine"], fine=Decimal("3000"),
                             basis="《中华人民共和国食品安全法》第一百二十六条第一款第（十一）项")
    with on("2026-10-27"):
        services.case_decide(actor=team.head, case_id=case.pk, outcome="penalty",
                             decision_number="湖市监罚〔2026〕71号", penalty_types=["warning", "fine"],
                             fine=Decimal("3000"))
    with on("2026-10-29"):
        services.case_serve(actor=team.officer, case_id=case.pk, served_on=dt.date(2026, 10, 29))
    with on("2026-11-10"):
        services.case_record_payment(actor=team.officer, case_id=case.pk, paid_on=dt.date(2026, 11, 10),
                                     amount=Decimal("3000"))
    # publicity was due Thu 5 Nov (seven working days): not yet published
    return case


# ================================================================== 5. 首违不罚
def _first_violation_not_punished(team: Team) -> Case:
    case = team.register(
        "2026-10-09", title="网店未依法亮照经营案", clue_source="网络交易监测", key_area="online",
        kind="specialised", ways=["contactless", "off_site"], party_type="person", party_name="李红梅",
        party_id_number=resident_id("33052219920308462"), party_phone="15857201234",
        party_address="浙江省湖州市长兴县雉城街道明珠路18号",
        facts="当事人经营的网店未在首页显著位置持续公示营业执照信息。")
    team.open(case, "2026-10-12")
    evidence = team.record(case, "2026-10-13", "evidence", "网络交易监测平台（非现场）",
                           "网页截图取证并进行电子数据存证；当事人已于当日在网店首页补充公示营业执照信息。")
    with on("2026-10-16"):
        services.case_decide(actor=team.head, case_id=case.pk, outcome="no_penalty",
                             decision_number="湖市监不罚〔2026〕3号", no_penalty_ground="first_violation",
                             reason="当事人系初次违法，危害后果轻微并已及时改正，依法不予行政处罚（首违不罚），并对其进行教育。",
                             harm_statement="未亮照时间短，未发现消费者因此受到损失，危害后果轻微。",
                             correction_statement="当事人于2026年10月13日在网店首页补充公示营业执照信息，已及时改正。",
                             evidence_record_ids=[evidence.pk])
    with on("2026-10-19"):
        services.case_serve(actor=team.officer, case_id=case.pk, served_on=dt.date(2026, 10, 19))
    with on("2026-10-21"):
        services.case_publish_notice(actor=team.officer, case_id=case.pk)
    with on("2026-10-22"):
        services.case_close(actor=team.head, case_id=case.pk, note="不予处罚，已教育当事人。")
    return case


# ================================================================== 6. in the review queue now
def _in_legal_review_now(team: Team) -> Case:
    case = team.register(
        "2026-10-26", title="经营未按规定注册的医疗器械案", clue_source="上级交办", key_area="food_drug",
        kind="specialised", ways=["reasoned"], party_type="organisation", party_name="湖州某医药连锁有限公司",
        party_id_number="91330500MA2JX6PQ8N", party_phone="0572-2666888",
        party_address="浙江省湖州市南浔区南浔镇向阳路99号", facts="当事人经营未经注册的第二类医疗器械。")
    team.open(case, "2026-10-27")
    team.record(case, "2026-10-28", "inspection", "南浔区南浔镇向阳路99号", "现场检查仓库，查见未注册的医用敷料312盒。")
    team.record(case, "2026-11-03", "evidence", "南浔区南浔镇向阳路99号", "调取采购合同、销售票据，货值金额2.1万元。")
    with on("2026-11-16"):
        services.case_notify(actor=team.officer, case_id=case.pk,
                             facts="当事人经营未经注册的第二类医疗器械312盒，货值金额21000元。",
                             penalty_types=["fine", "confiscation"], fine=Decimal("200000"),
                             basis="《医疗器械监督管理条例》第八十六条第（三）项")
    with on("2026-11-24"):
        services.case_submit_for_legal_review(actor=team.officer, case_id=case.pk,
                                              note="罚款数额超过本机关法制审核目录标准，报请法制审核。")
    return case
