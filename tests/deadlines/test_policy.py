"""The policy table (期限规则): only administrators change the numbers of the law,
each row names its legal source, every change is audited with the old and new
values, and a version applies from its effective date."""
import datetime as dt

import pytest
import time_machine

from core.exceptions import DomainError, NotPermitted
from core.models import AuditEvent, Role
from deadlines import services
from deadlines.models import DeadlineKind, DeadlinePolicy, LegalClock, Unit
from tests import factories
from tests.deadlines import service_support as support
from tests.deadlines.service_support import MAY_11, POLICY

D = dt.date


def new_policy(**overrides) -> DeadlinePolicy:
    values = {"code": "test.new_policy", "name": "行政复议答复期限", "length": 10, "unit": Unit.CALENDAR_DAYS,
              "kind": DeadlineKind.STATUTORY, "warn_before": 3, "source": "《行政复议法》第四十八条",
              "effective_from": D(2026, 6, 1)}
    return DeadlinePolicy(**(values | overrides))


def policy_events():
    return AuditEvent.objects.filter(event_type="policy")


@pytest.mark.parametrize("make_actor", [
    lambda: factories.staff("hz-drc"), lambda: support.head("hz-drc"), lambda: factories.office(),
    lambda: factories.supervisor(), lambda: factories.reviewer(),
], ids=["staff", "head", "office", "supervisor", "reviewer"])
def test_only_an_administrator_may_create_a_policy(db, make_actor):
    with pytest.raises(NotPermitted) as error:
        services.policy_save(actor=make_actor(), policy=new_policy())
    assert error.value.message == "只有系统管理员可以修改期限规则。"
    assert not DeadlinePolicy.objects.filter(code="test.new_policy").exists()
    assert not policy_events().exists()


def test_a_non_administrator_cannot_change_a_policy(db, office_user):
    policy = support.make_policy(length=10)
    policy.length = 3
    with pytest.raises(NotPermitted):
        services.policy_save(actor=office_user, policy=policy)
    policy.refresh_from_db()
    assert policy.length == 10


def test_a_superuser_counts_as_an_administrator(db):
    root = factories.UserFactory(is_superuser=True, roles=[Role.STAFF])
    assert services.policy_save(actor=root, policy=new_policy()).pk is not None


@pytest.mark.parametrize("source", ["", "   "])
def test_a_policy_must_name_its_legal_source(db, source):
    with pytest.raises(DomainError) as error:
        services.policy_save(actor=support.admin(), policy=new_policy(source=source))
    assert (error.value.code, error.value.message) == ("source_required", "请写明期限规则的依据（法律文件及条款）。")
    assert not DeadlinePolicy.objects.filter(code="test.new_policy").exists()


def test_creating_a_policy_is_audited_with_all_its_values(db):
    admin = support.admin()
    policy = services.policy_save(actor=admin, policy=new_policy())

    event = policy_events().get()
    assert (event.action, event.action_label, event.actor, event.object_id) == (
        "policy_create", "新增期限规则", admin, str(policy.pk))
    assert event.details == {"code": "test.new_policy", "before": {}, "after": {
        "code": "test.new_policy", "name": "行政复议答复期限", "length": 10, "unit": "calendar_days",
        "kind": "statutory", "warn_before": 3, "source": "《行政复议法》第四十八条", "effective_from": "2026-06-01",
        "note": ""}}


def test_changing_a_policy_is_audited_with_the_old_and_new_values_of_what_changed(db):
    admin = support.admin()
    policy = support.make_policy(length=10)
    policy.length, policy.source = 20, "《湖州市测试办法》第十条（2026年修订）"
    services.policy_save(actor=admin, policy=policy)

    policy.refresh_from_db()
    assert policy.length == 20
    event = policy_events().get()
    assert (event.action, event.action_label, event.object_id) == ("policy_change", "修改期限规则", str(policy.pk))
    assert event.details == {"code": POLICY, "before": {"length": 10, "source": support.SOURCE},
                             "after": {"length": 20, "source": "《湖州市测试办法》第十条（2026年修订）"}}


def test_saving_a_policy_unchanged_is_recorded_as_a_change_of_nothing(db):
    policy = support.make_policy()
    services.policy_save(actor=support.admin(), policy=policy)

    event = policy_events().get()
    assert (event.action, event.details["before"], event.details["after"]) == ("policy_change", {}, {})


def test_a_new_version_applies_from_its_effective_date(db):
    old = support.make_policy(length=10)
    new = services.policy_save(actor=support.admin(), policy=new_policy(code=POLICY, length=15,
                                                                        effective_from=D(2026, 6, 1)))

    assert services.policy_in_force(POLICY, D(2026, 5, 31)) == old
    assert services.policy_in_force(POLICY, D(2026, 6, 1)) == new
    assert services.policy_length(POLICY, D(2026, 6, 2)) == 15


def test_a_clock_cannot_start_before_its_policy_has_a_version_in_force(db, staff_user):
    support.make_policy(effective_from=D(2020, 1, 1))
    with support.registered_rule(), time_machine.travel(MAY_11, tick=False), \
            pytest.raises(DomainError) as error:
        support.start(staff_user, started_on=D(2019, 12, 31))
    assert error.value.code == "policy_missing"
    assert error.value.message == f"期限规则“{POLICY}”在2019-12-31尚无生效版本，请系统管理员在期限规则表中配置。"
    assert not LegalClock.objects.exists()
