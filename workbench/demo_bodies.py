"""Demo content for every level (issue 16), built through the real services with replayed dates:
吴兴区, 织里镇 and 吴兴区教育局 (a department with its own catalog) publish their 2026 catalogs in
Q1; a 织里镇 contract waits in the 织里司法所's queue; 织里镇's joint meetings, one on legal
matters without the head of the 司法所; advisers and public lawyers for some bodies but not all,
so the coverage table shows gaps."""
from __future__ import annotations

import datetime as dt

from contracts import services as contract_services
from core.models import Department, Role, User
from decisions import services as decision_services
from decisions.demo import on
from legal_affairs import services as legal

#: username, full name, department code, roles (the township account heads its catalog too)
ACCOUNTS = [
    ("demo_township", "沈镇干", "wuxing-zhili", [Role.STAFF, Role.HEAD]),
    ("demo_sifasuo", "许所长", "wuxing-zhili-sfs", [Role.REVIEWER, Role.HEAD]),
    ("demo_district_reviewer", "吕审查", "wuxing-justice", [Role.REVIEWER, Role.HEAD]),
    ("demo_district", "韩区干", "wuxing", [Role.STAFF, Role.HEAD]),
    ("demo_district_edu", "蒋科长", "wuxing-edu", [Role.STAFF, Role.HEAD]),
]


def _item(name: str, content: str, planned: str) -> dict:
    return {"name": name, "content": content, "legal_basis": "《重大行政决策程序暂行条例》《浙江省重大行政决策程序规定》",
            "required_procedures": ["public_comment", "risk_assessment"], "planned_completion": planned,
            "category": "public_policy"}


def _catalog(user: User, items: list[dict], *, consent: str, published: str, number: str) -> None:
    with on("2026-01-12"):
        proposed = [decision_services.catalog_item_propose(actor=user, year=2026, data=item) for item in items]
    body_id = proposed[0].catalog.body_id
    with on(consent):
        decision_services.catalog_compile(actor=user, year=2026, included_ids=[i.pk for i in proposed],
                                          body_id=body_id)
        decision_services.catalog_record_party_consent(actor=user, year=2026, consent_on=dt.date.fromisoformat(consent),
                                                       note="经同级党委同意。", body_id=body_id)
    with on(published):
        decision_services.catalog_publish(actor=user, year=2026, document_number=number, body_id=body_id)


def ensure_bodies() -> None:
    """A district department that adopts its own catalog (demo only)."""
    wuxing = Department.objects.get(code="wuxing")
    Department.objects.get_or_create(code="wuxing-edu", defaults={
        "name": "湖州市吴兴区教育局", "short_name": "吴兴区教育局", "kind": Department.Kind.DEPARTMENT,
        "level": Department.Level.COUNTY, "parent": wuxing, "is_decision_body": True,
        "review_unit": Department.objects.get(code="wuxing-justice"), "sort_order": 500})


def create_accounts(password: str) -> None:
    ensure_bodies()
    for username, name, code, roles in ACCOUNTS:
        user = User(username=username, full_name=name, department=Department.objects.get(code=code), roles=list(roles))
        user.set_password(password)
        user.save()


def load() -> None:
    township = User.objects.get(username="demo_township")
    district = User.objects.get(username="demo_district")
    edu = User.objects.get(username="demo_district_edu")
    _catalog(district, [_item("吴兴区城乡公交一体化改革方案", "整合城乡公交线路，统一票价和服务标准。", "2026-09"),
                        _item("吴兴区老旧小区改造三年行动计划", "改造老旧小区42个，完善加装电梯和停车设施。", "2026-Q4")],
             consent="2026-02-26", published="2026-03-10", number="吴政发〔2026〕3号")
    _catalog(township, [_item("织里镇童装产业园区提升改造方案", "改造标准厂房，完善消防和污水收集设施。", "2026-10"),
                        _item("织里镇农村生活垃圾分类收费办法", "按户定额收费，建立收费减免制度。", "2026-08")],
             consent="2026-03-02", published="2026-03-16", number="织委〔2026〕5号")
    _catalog(edu, [_item("吴兴区义务教育学校招生片区调整", "调整城区6所学校招生片区。", "2026-06")],
             consent="2026-03-20", published="2026-04-08", number="吴教〔2026〕2号")  # after 31 March: late

    with on("2026-11-23"):
        contract = contract_services.contract_draft(actor=township, data={
            "title": "织里镇童装产业园标准厂房租赁合同", "counterparty": "湖州某童装有限公司", "contract_type": "state_assets",
            "amount": "1260000.00", "term_start": dt.date(2027, 1, 1), "term_end": dt.date(2029, 12, 31),
            "key_clauses": "租赁标的为园区3号标准厂房；年租金42万元，按季支付；承租方负责消防安全；逾期付款按日万分之五计违约金。",
            "dispute_resolution": "litigation", "dispute_forum": "湖州市吴兴区人民法院", "confidentiality": False})
        contract_services.contract_add_milestone(actor=township, contract_id=contract.pk, title="交付厂房",
                                                 due_on=dt.date(2027, 1, 1))
        contract_services.contract_submit_for_legality_review(actor=township, contract_id=contract.pk,
                                                              note="属国有资产出租，请司法所审查。")

    with on("2026-11-10"):
        legal.meeting_record(actor=township, data={
            "held_on": dt.date(2026, 11, 6), "session": "织里镇第21次党政联席会议", "topics": "童装产业园厂房出租方案；冬季安全生产",
            "legal_matters": True, "sifasuo_head_attended": True})
        legal.meeting_record(actor=township, data={
            "held_on": dt.date(2026, 11, 9), "session": "织里镇第22次党政联席会议", "topics": "农村宅基地历史遗留问题处置",
            "legal_matters": True, "sifasuo_head_attended": False, "absence_reason": "司法所长参加区司法局业务培训。"})
    with on("2026-01-05"):
        legal.adviser_register(actor=township, data={
            "name": "钱志远", "kind": "retained", "firm": "浙江织里律师事务所", "term_start": dt.date(2026, 1, 1),
            "term_end": dt.date(2026, 12, 31), "contract_reference": "织里镇法律顾问服务合同（2026）"})
        legal.adviser_register(actor=district, data={
            "name": "周律", "kind": "retained", "firm": "浙江吴兴律师事务所", "term_start": dt.date(2025, 7, 1),
            "term_end": dt.date(2027, 6, 30), "contract_reference": "吴兴区政府法律顾问聘用合同"})
        legal.public_lawyer_register(actor=district, data={
            "name": "陆公职", "certificate_number": "GZ33050220190001", "certified_on": dt.date(2019, 9, 1)})
