"""The public tracker of decisions in execution (决策执行情况): published, not withheld decisions
that are executing, suspended, under post-evaluation or completed, with what of their execution
is meant for the public — progress and whether targets are met, post-evaluation findings once
concluded — never internal problems, reporters, or anything of an unpublished decision."""
import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from decisions.models import ExecutionReport, PostEvaluation
from decisions.workflow import (
    DecisionStatus,
    Disclosure,
    EvaluationConclusion,
    EvaluationTrigger,
)
from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("public:execution-tracker")
TRACKER_QUERIES = 6


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


def decision(title, *, status=DecisionStatus.EXECUTING, disclosure=Disclosure.PUBLIC, published=True, **fields):
    return factories.DecisionFactory(
        title=title, status=status, disclosure=disclosure,
        withheld_reason="" if disclosure == Disclosure.PUBLIC else "涉及国家秘密",
        published_at=timezone.make_aware(dt.datetime(2026, 3, 1, 9)) if published else None, **fields)


def report(d, progress, *, problems="", targets_missed=False, day=dt.date(2026, 4, 30)):
    return ExecutionReport.objects.create(decision=d, reported_on=day, progress=progress, problems=problems,
                                          targets_missed=targets_missed, reported_by=d.created_by)


def evaluation(d, findings, *, concluded):
    return PostEvaluation.objects.create(
        decision=d, trigger=EvaluationTrigger.BELOW_EXPECTATION, evaluator="湖州市决策评估中心",
        started_on=dt.date(2026, 4, 1), findings=findings,
        conclusion=EvaluationConclusion.ADJUST if concluded else "",
        completed_on=dt.date(2026, 5, 1) if concluded else None, started_by=d.created_by)


def test_the_tracker_shows_public_progress_and_concluded_evaluations_only(client):
    executing = decision("湖州市停车收费调整决策")
    report(executing, "已完成收费系统改造。", problems="内部协调不畅，经费缺口较大。", targets_missed=True)
    evaluated = decision("湖州市公交票价调整决策", status=DecisionStatus.COMPLETED)
    evaluation(evaluated, "票价调整后客流增长12%。", concluded=True)
    ongoing = decision("湖州市老旧小区改造决策", status=DecisionStatus.POST_EVALUATION)
    evaluation(ongoing, "初步发现部分小区进度滞后。", concluded=False)
    decision("湖州市暂停执行的决策", status=DecisionStatus.SUSPENDED)
    decision("依法不予公开的执行中决策", disclosure=Disclosure.WITHHELD)
    decision("已决策尚未公布的决策", status=DecisionStatus.DECIDED, published=False)
    decision("已终止的决策", status=DecisionStatus.TERMINATED)

    content = client.get(URL).content.decode()

    for shown in ("湖州市停车收费调整决策", "已完成收费系统改造。", "未达到预期目标", "湖州市公交票价调整决策",
                  "票价调整后客流增长12%。", "结论：调整决策", "湖州市老旧小区改造决策", "评估中", "湖州市暂停执行的决策"):
        assert shown in content, shown
    for hidden in ("内部协调不畅", "初步发现部分小区", "依法不予公开的执行中决策", "已决策尚未公布", "已终止的决策",
                   executing.created_by.full_name or executing.created_by.username):
        assert hidden not in content, hidden


def test_the_tracker_filters_by_department_and_year(client):
    decision("发改委的决策")
    other = decision("自然资源局的决策", department=factories.department("hz-nrp"))
    decision("去年的决策", year=2025)
    content = client.get(URL, {"department": other.department_id}).content.decode()
    assert "自然资源局的决策" in content and "发改委的决策" not in content
    content = client.get(URL, {"year": 2025}).content.decode()
    assert "去年的决策" in content and "发改委的决策" not in content


def test_the_home_page_and_the_decision_list_link_to_the_tracker(client):
    for page in ("public:home", "public:decision-list"):
        assert f'href="{URL}"' in client.get(reverse(page)).content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_the_tracker_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    for n in range(count):
        d = decision(f"执行中的决策{n}", department=factories.department(("hz-drc", "hz-nrp")[n % 2]))
        report(d, f"进展{n}")
        report(d, f"后续进展{n}", day=dt.date(2026, 5, 10))
        evaluation(d, f"评估结论{n}", concluded=True)
    with django_assert_max_num_queries(TRACKER_QUERIES):
        response = client.get(URL)
    assert response.status_code == 200
    assert response.content.decode().count("后续进展") == min(count, 20)
