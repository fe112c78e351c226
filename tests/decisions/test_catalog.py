"""The annual decision catalog: proposals, compilation and numbering, Party
consent before publication, the Q1 deadline, adjustments after publication, and
what the public may see."""
import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from core.exceptions import DomainError, InvalidState, TransitionBlocked
from core.models import AuditEvent
from decisions import selectors, services
from decisions.models import Catalog, CatalogAdjustment, CatalogItem
from decisions.workflow import Disclosure, Procedure

pytestmark = pytest.mark.django_db

JAN = "2026-01-15 10:00 +0800"
MARCH = "2026-03-20 10:00 +0800"
APRIL = "2026-04-20 10:00 +0800"
WITHHELD_NEEDS_REASON = "依法不予公开的，须写明不予公开的法律依据（《政府信息公开条例》第十四条至第十六条）。"


def item_data(name: str, **overrides) -> dict:
    return {
        "name": name, "content": "明确目标任务、实施步骤和保障措施。", "legal_basis": "《重大行政决策程序暂行条例》第三条",
        "required_procedures": [Procedure.PUBLIC_COMMENT, Procedure.RISK_ASSESSMENT],
        "planned_completion": dt.date(2026, 10, 31), "category": "planning", **overrides,
    }


def propose(actor, name: str, **overrides) -> CatalogItem:
    with time_machine.travel(JAN, tick=False):
        return services.catalog_item_propose(actor=actor, year=2026, data=item_data(name, **overrides))


def compile_and_consent(office_user, included: list[CatalogItem]) -> Catalog:
    with time_machine.travel(MARCH, tick=False):
        services.catalog_compile(actor=office_user, year=2026, included_ids=[i.pk for i in included])
        return services.catalog_record_party_consent(actor=office_user, year=2026, consent_on=dt.date(2026, 3, 18),
                                                     note="经市委常委会同意。")


def publish_at(office_user, moment: str) -> Catalog:
    with time_machine.travel(moment, tick=False):
        return services.catalog_publish(actor=office_user, year=2026, document_number="湖政发〔2026〕5号")


@pytest.fixture
def published(staff_user, other_staff_user, office_user) -> dict:
    """A published 2026 catalog: two public items, one withheld item, one not included."""
    items = {
        "public": propose(staff_user, "湖州市城市更新三年行动计划"),
        "withheld": propose(staff_user, "某涉密建设项目", disclosure=Disclosure.WITHHELD,
                            withheld_reason="涉及国家秘密（《政府信息公开条例》第十四条）"),
        "other_department": propose(other_staff_user, "湖州市国土空间总体规划"),
        "left_out": propose(staff_user, "未列入的事项"),
    }
    compile_and_consent(office_user, [items["public"], items["withheld"], items["other_department"]])
    publish_at(office_user, MARCH)
    return {key: CatalogItem.objects.get(pk=item.pk) for key, item in items.items()}


# ================================================================== proposals and compilation
def test_a_department_proposes_an_item_for_its_own_department(staff_user):
    item = propose(staff_user, "湖州市城市更新三年行动计划")

    assert (item.status, item.lead_department, item.proposed_by) == (CatalogItem.Status.PROPOSED,
                                                                     staff_user.department, staff_user)
    assert item.catalog.status == Catalog.Status.COLLECTING
    assert AuditEvent.objects.filter(action="catalog_item_propose").count() == 1


def test_a_withheld_item_needs_the_legal_ground(staff_user):
    with pytest.raises(DomainError) as error:
        propose(staff_user, "某涉密建设项目", disclosure=Disclosure.WITHHELD)

    assert error.value.message == WITHHELD_NEEDS_REASON
    assert not CatalogItem.objects.exists()


def test_compiling_numbers_the_included_items_by_department_order(staff_user, other_staff_user, office_user):
    nrp = propose(other_staff_user, "湖州市国土空间总体规划")  # proposed first, but its department sorts later
    drc_a = propose(staff_user, "事项甲")
    drc_b = propose(staff_user, "事项乙")
    drc_left_out = propose(staff_user, "事项丙")

    with time_machine.travel(MARCH, tick=False):
        catalog = services.catalog_compile(actor=office_user, year=2026, included_ids=[nrp.pk, drc_a.pk, drc_b.pk])

    numbered = {i.pk: (i.number, i.status) for i in CatalogItem.objects.all()}
    assert numbered == {
        drc_a.pk: (1, CatalogItem.Status.INCLUDED),
        drc_b.pk: (2, CatalogItem.Status.INCLUDED),
        nrp.pk: (3, CatalogItem.Status.INCLUDED),
        drc_left_out.pk: (None, CatalogItem.Status.NOT_INCLUDED),
    }
    assert catalog.status == Catalog.Status.COMPILED
    assert catalog.compiled_at is not None


def test_compiling_with_nothing_included_is_refused(staff_user, office_user):
    propose(staff_user, "事项甲")

    with pytest.raises(DomainError) as error:
        services.catalog_compile(actor=office_user, year=2026, included_ids=[])

    assert error.value.message == "请至少选择一个列入目录的事项。"


def test_a_catalog_is_compiled_only_once(staff_user, office_user):
    item = propose(staff_user, "事项甲")
    services.catalog_compile(actor=office_user, year=2026, included_ids=[item.pk])

    with pytest.raises(InvalidState) as error:
        services.catalog_compile(actor=office_user, year=2026, included_ids=[item.pk])

    assert error.value.message == "目录已汇总，不能重复汇总。"


def test_proposals_close_when_the_catalog_is_compiled(staff_user, office_user):
    item = propose(staff_user, "事项甲")
    services.catalog_compile(actor=office_user, year=2026, included_ids=[item.pk])

    with pytest.raises(DomainError) as error:
        propose(staff_user, "迟到的事项")

    assert error.value.message == "2026年度目录已汇总，新增事项请通过目录调整提出。"


# ================================================================== Party consent and publication
def test_publishing_without_party_consent_is_refused(staff_user, office_user):
    item = propose(staff_user, "事项甲")
    with time_machine.travel(MARCH, tick=False):
        services.catalog_compile(actor=office_user, year=2026, included_ids=[item.pk])

        with pytest.raises(TransitionBlocked) as error:
            services.catalog_publish(actor=office_user, year=2026)

    assert error.value.message == "目录须经同级党委同意后公布（《重大行政决策程序暂行条例》第三条第三款）。"
    assert Catalog.objects.get(year=2026).status == Catalog.Status.COMPILED


def test_party_consent_is_recorded_only_after_compilation(staff_user, office_user):
    propose(staff_user, "事项甲")

    with pytest.raises(InvalidState) as error:
        services.catalog_record_party_consent(actor=office_user, year=2026, consent_on=dt.date(2026, 1, 10),
                                              note="同意。")

    assert error.value.message == "目录汇总后方可记录党委同意情况。"


def test_party_consent_dated_in_the_future_is_refused(staff_user, office_user):
    item = propose(staff_user, "事项甲")
    with time_machine.travel(MARCH, tick=False):
        services.catalog_compile(actor=office_user, year=2026, included_ids=[item.pk])

        with pytest.raises(DomainError) as error:
            services.catalog_record_party_consent(actor=office_user, year=2026, consent_on=dt.date(2026, 3, 21),
                                                  note="同意。")

    assert error.value.message == "党委同意日期不能晚于今天。"


def test_a_catalog_not_yet_published_has_no_q1_verdict(staff_user, office_user):
    item = propose(staff_user, "事项甲")
    catalog = compile_and_consent(office_user, [item])

    assert catalog.published_in_q1 is None


def test_a_catalog_published_on_31_march_is_published_in_q1(staff_user, office_user):
    item = propose(staff_user, "事项甲")
    compile_and_consent(office_user, [item])

    catalog = publish_at(office_user, "2026-03-31 23:30 +0800")

    assert catalog.published_on == dt.date(2026, 3, 31)
    assert catalog.published_in_q1 is True
    assert AuditEvent.objects.get(action="catalog_publish").details["in_q1"] is True


def test_a_catalog_published_just_after_midnight_on_1_april_is_late(staff_user, office_user):
    item = propose(staff_user, "事项甲")
    compile_and_consent(office_user, [item])

    # Still 31 March in UTC; the Huzhou date decides.
    catalog = publish_at(office_user, "2026-04-01 00:30 +0800")

    assert catalog.published_on == dt.date(2026, 4, 1)
    assert catalog.published_in_q1 is False


def test_publication_records_the_document_number_and_status(published):
    catalog = Catalog.objects.get(year=2026)

    assert (catalog.status, catalog.document_number) == (Catalog.Status.PUBLISHED, "湖政发〔2026〕5号")
    assert catalog.party_consent_on == dt.date(2026, 3, 18)


def test_a_published_catalog_cannot_be_published_again(published, office_user):
    with pytest.raises(InvalidState) as error:
        publish_at(office_user, APRIL)

    assert error.value.message == "只有已汇总的目录可以公布。"


# ================================================================== adjustments (D6)
def adjust(actor, kind: str, item: CatalogItem | None = None, reason: str = "上级部署调整。", **data):
    with time_machine.travel(APRIL, tick=False):
        return services.catalog_adjustment_propose(actor=actor, year=2026, kind=kind, reason=reason,
                                                   item_id=item.pk if item else None, data=data or None)


def decide(actor, adjustment: CatalogAdjustment, approve: bool = True) -> CatalogAdjustment:
    with time_machine.travel(APRIL, tick=False):
        return services.catalog_adjustment_decide(actor=actor, adjustment_id=adjustment.pk, approve=approve,
                                                  note="经审核。")


def test_adjustments_are_proposed_only_after_publication(staff_user, office_user):
    propose(staff_user, "事项甲")

    with pytest.raises(InvalidState) as error:
        adjust(staff_user, CatalogAdjustment.Kind.WITHDRAW, item=CatalogItem.objects.get())

    assert error.value.message == "目录公布后方可提出调整。"


def test_an_added_item_is_proposed_by_the_department_and_numbered_when_the_office_publishes(
        published, staff_user, office_user):
    adjustment = adjust(staff_user, CatalogAdjustment.Kind.ADD, **item_data("新增的事项"))
    added = adjustment.item
    assert (added.status, added.number, added.lead_department) == (CatalogItem.Status.PROPOSED, None,
                                                                   staff_user.department)

    decide(office_user, adjustment)

    added.refresh_from_db()
    assert (added.status, added.number) == (CatalogItem.Status.INCLUDED, 4)
    adjustment.refresh_from_db()
    assert adjustment.status == CatalogAdjustment.Status.PUBLISHED
    assert adjustment.published_at is not None


def test_a_rejected_addition_leaves_the_item_out(published, staff_user, office_user):
    adjustment = adjust(staff_user, CatalogAdjustment.Kind.ADD, **item_data("新增的事项"))

    decide(office_user, adjustment, approve=False)

    assert CatalogItem.objects.get(pk=adjustment.item_id).status == CatalogItem.Status.NOT_INCLUDED
    assert CatalogAdjustment.objects.get(pk=adjustment.pk).status == CatalogAdjustment.Status.REJECTED


def test_a_withdrawal_takes_effect_when_the_office_publishes_it(published, staff_user, office_user):
    adjustment = adjust(staff_user, CatalogAdjustment.Kind.WITHDRAW, item=published["public"])
    assert CatalogItem.objects.get(pk=published["public"].pk).status == CatalogItem.Status.INCLUDED

    decide(office_user, adjustment)

    assert CatalogItem.objects.get(pk=published["public"].pk).status == CatalogItem.Status.WITHDRAWN


def test_a_change_records_old_and_new_values_and_applies_them_on_publication(published, staff_user, office_user):
    adjustment = adjust(staff_user, CatalogAdjustment.Kind.CHANGE, item=published["public"],
                        planned_completion=dt.date(2026, 12, 31), name="湖州市城市更新行动计划")
    assert adjustment.changes == {
        "planned_completion": ["2026-10-31", "2026-12-31"],
        "name": ["湖州市城市更新三年行动计划", "湖州市城市更新行动计划"],
    }

    decide(office_user, adjustment)

    item = CatalogItem.objects.get(pk=published["public"].pk)
    assert (item.name, item.planned_completion) == ("湖州市城市更新行动计划", dt.date(2026, 12, 31))


def test_a_change_that_changes_nothing_is_refused(published, staff_user):
    with pytest.raises(DomainError) as error:
        adjust(staff_user, CatalogAdjustment.Kind.CHANGE, item=published["public"],
               name="湖州市城市更新三年行动计划")

    assert error.value.message == "没有需要变更的内容。"


def test_a_department_cannot_adjust_another_departments_item(published, staff_user):
    with pytest.raises(DomainError) as error:
        adjust(staff_user, CatalogAdjustment.Kind.WITHDRAW, item=published["other_department"])

    assert error.value.message == "只能调整本单位承办且在目录中的事项。"


def test_an_adjustment_needs_a_reason(published, staff_user):
    with pytest.raises(DomainError) as error:
        adjust(staff_user, CatalogAdjustment.Kind.WITHDRAW, item=published["public"], reason=" ")

    assert error.value.message == "请说明调整理由。"


def test_an_added_withheld_item_needs_the_legal_ground(published, staff_user):
    with pytest.raises(DomainError) as error:
        adjust(staff_user, CatalogAdjustment.Kind.ADD, **item_data("新增涉密事项", disclosure=Disclosure.WITHHELD))

    assert error.value.message == WITHHELD_NEEDS_REASON


def test_an_added_item_needs_every_column_of_the_catalog(published, staff_user):
    before = CatalogItem.objects.count()
    with pytest.raises(DomainError) as error:
        adjust(staff_user, CatalogAdjustment.Kind.ADD, name="只有名称的事项")

    assert error.value.message == "增加事项须填写事项名称、主要内容、法律政策依据、计划完成时间和类别。"
    assert CatalogItem.objects.count() == before


def test_the_office_does_not_propose_adjustments_and_staff_do_not_publish_them(published, staff_user, office_user):
    with pytest.raises(PermissionDenied):
        adjust(office_user, CatalogAdjustment.Kind.WITHDRAW, item=published["public"])
    adjustment = adjust(staff_user, CatalogAdjustment.Kind.WITHDRAW, item=published["public"])
    with pytest.raises(PermissionDenied):
        decide(staff_user, adjustment)


def test_an_adjustment_is_decided_only_once(published, staff_user, office_user):
    adjustment = adjust(staff_user, CatalogAdjustment.Kind.WITHDRAW, item=published["public"])
    decide(office_user, adjustment)

    with pytest.raises(InvalidState) as error:
        decide(office_user, adjustment, approve=False)

    assert error.value.message == "该调整已处理。"


# ================================================================== what the public sees
def test_an_unpublished_catalog_is_not_public(staff_user, office_user):
    item = propose(staff_user, "事项甲")
    compile_and_consent(office_user, [item])

    with pytest.raises(Catalog.DoesNotExist):
        selectors.public_catalog(year=2026)
    assert selectors.public_catalog_years() == []
    assert not CatalogItem.objects.public().exists()


def test_the_public_catalog_lists_included_public_items_only(published):
    catalog, items, adjustments = selectors.public_catalog(year=2026)

    assert catalog.year == 2026
    assert [i.name for i in items] == ["湖州市城市更新三年行动计划", "湖州市国土空间总体规划"]
    assert published["withheld"] not in items
    assert published["left_out"] not in items
    assert adjustments == []
    assert selectors.public_catalog_years() == [2026]


def test_withheld_items_keep_their_number_but_are_never_public(published):
    assert published["withheld"].number is not None
    assert published["withheld"] not in CatalogItem.objects.public()


def test_a_proposed_addition_is_not_public_until_the_office_publishes_it(published, staff_user, office_user):
    adjustment = adjust(staff_user, CatalogAdjustment.Kind.ADD, **item_data("新增的事项"))

    _catalog, items, adjustments = selectors.public_catalog(year=2026)
    assert adjustment.item not in items
    assert adjustments == []

    decide(office_user, adjustment)

    _catalog, items, adjustments = selectors.public_catalog(year=2026)
    assert adjustment.item in items
    assert [a.pk for a in adjustments] == [adjustment.pk]


def test_published_adjustments_of_withheld_items_are_not_public(published, staff_user, office_user):
    adjustment = adjust(staff_user, CatalogAdjustment.Kind.WITHDRAW, item=published["withheld"])
    decide(office_user, adjustment)

    _catalog, items, adjustments = selectors.public_catalog(year=2026)

    assert adjustments == []
    assert published["withheld"] not in items


def test_an_anonymous_visitor_sees_only_public_items(published):
    visible = set(CatalogItem.objects.visible_to(AnonymousUser()))

    assert visible == {published["public"], published["other_department"]}


def test_a_department_sees_its_own_withheld_items_but_not_another_departments(published, staff_user,
                                                                              other_staff_user):
    assert published["withheld"] in CatalogItem.objects.visible_to(staff_user)
    assert published["withheld"] not in CatalogItem.objects.visible_to(other_staff_user)
