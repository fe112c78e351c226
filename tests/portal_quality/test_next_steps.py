"""Clear next steps: a decision shows one primary step for its state, the others secondary, each with
a line saying what it does; the submit page sums up what will be sent; publishing a catalog or approving
a catalog adjustment (which publishes it) needs the confirmation of what becomes public."""
import re

import pytest
import time_machine
from django.urls import reverse

from decisions import services
from decisions.models import Catalog, CatalogAdjustment
from decisions.permissions import available_actions
from decisions.workflow import DecisionStatus
from tests import factories
from tests.decisions.test_catalog import MARCH, compile_and_consent, propose

pytestmark = pytest.mark.django_db

STATES = [DecisionStatus.DRAFTING, DecisionStatus.CONSULTING, DecisionStatus.DECIDED, DecisionStatus.EXECUTING,
          DecisionStatus.SUSPENDED]


@pytest.mark.parametrize("state", STATES)
def test_every_state_has_one_primary_step_for_whose_turn_it_is_and_every_step_says_what_it_does(state, office_user):
    decision = factories.decision_in_state(state)
    primaries = []
    for user in (office_user, decision.created_by):
        actions = available_actions(user, decision)
        primaries.append(sum(a["primary"] for a in actions))
        assert all(a["hint"] for a in actions), [a["name"] for a in actions if not a["hint"]]
    # whoever's turn it is sees one primary step; the other may have only occasional steps (暂停执行)
    assert max(primaries) == 1 and 2 not in primaries, primaries


def test_the_decision_page_shows_the_primary_step_first_in_weight_with_its_explanation(client, office_user):
    decision = factories.decision_in_state(DecisionStatus.SUSPENDED)
    client.force_login(office_user)
    html = client.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    primary = re.search(r'<li class="primary" data-testid="primary-action">(.*?)</li>', html, re.S)
    assert primary and "恢复执行" in primary.group(1) and "暂停原因消除后恢复执行" in primary.group(1)
    assert re.search(r'class="button secondary danger"[^>]*>停止执行', html)  # the irreversible one is not primary
    assert "停止后不能恢复" in html


def test_the_submit_page_sums_up_the_materials_to_be_sent(client):
    decision = factories.decision_in_state(DecisionStatus.CONSULTING)
    client.force_login(decision.created_by)
    html = client.get(reverse("decisions:submit-for-review", args=[decision.pk])).content.decode()
    assert "将送审的材料" in html and "决策草案" in html and "起草说明" in html


def test_a_catalog_is_published_only_with_the_confirmation_of_what_becomes_public(client, staff_user, office_user):
    compile_and_consent(office_user, [propose(staff_user, "湖州市城市更新三年行动计划")])
    client.force_login(office_user)
    url = reverse("decisions:catalog-publish", args=[2026])
    with time_machine.travel(MARCH, tick=False):
        page = client.get(reverse("decisions:catalog-manage-year", args=[2026])).content.decode()
        client.post(url, {"document_number": "湖政发〔2026〕5号"})
        assert Catalog.objects.get(year=2026).status != Catalog.Status.PUBLISHED
        client.post(url, {"document_number": "湖政发〔2026〕5号", "confirmed": "on"})
    assert "办理后，以下内容将在公众网站公开" in page and "目录公布后不能撤回" in page
    assert Catalog.objects.get(year=2026).status == Catalog.Status.PUBLISHED


def test_approving_an_adjustment_publishes_it_only_when_confirmed(client, staff_user, office_user):
    item = propose(staff_user, "湖州市城市更新三年行动计划")
    compile_and_consent(office_user, [item])
    with time_machine.travel(MARCH, tick=False):
        services.catalog_publish(actor=office_user, year=2026, document_number="湖政发〔2026〕5号")
        adjustment = services.catalog_adjustment_propose(actor=staff_user, year=2026, item_id=item.pk,
                                                         kind=CatalogAdjustment.Kind.WITHDRAW, reason="情况变化。")
        client.force_login(office_user)
        url = reverse("decisions:catalog-adjustment-decide", args=[adjustment.pk])
        client.post(url, {"approve": "1"})
        assert CatalogAdjustment.objects.get(pk=adjustment.pk).status == CatalogAdjustment.Status.PROPOSED
        client.post(url, {"approve": "1", "confirmed": "on"})
    assert CatalogAdjustment.objects.get(pk=adjustment.pk).status == CatalogAdjustment.Status.PUBLISHED
