"""The rules matrix (issue 12): generated from the rulebook the services use — every rule of
domain.md tagged [V] is in it, each names a service that exists and a test that exists; the
command prints it and the supervisors' page shows it, with the refusals and reasons recorded."""
import ast
import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from core import rulebook
from core.rulebook import Kind
from deadlines.selectors import rules_matrix, rules_matrix_counts
from tests import factories

ROOT = Path(__file__).resolve().parents[2]

#: The rows of domain.md tagged [V] (alone or with V2/U/I), §2–§5, and the ones issue 12 names.
V_ROWS = ["D1", "D2", "D3", "D4", "D5", "D10", "D11", "D12", "D13", "D14", "D15", "D16", "D17", "D18", "D19", "D20", "D21", "D22", "D23", "D24", "D25", "D26", "D27", "D28", "D29", "N3", "N4", "N6", "N7", "N10", "N11", "N12", "N15", "N19", "N20", "E1", "E4", "E6", "E8", "E10", "E11", "E12", "E13", "E15", "E17", "E18", "E19", "E20", "E21", "E22", "E23", "E24", "E25", "W1", "W3", "W5", "W7", "N14", "N17", "N18", "E3"]


def test_every_v_rule_of_domain_md_is_in_the_matrix():
    sources = {part.strip() for rule in rulebook.RULES.values() for part in rule.source.split("/")}
    assert sorted(set(V_ROWS) - sources) == []


def test_every_rule_has_a_kind_an_article_and_a_summary():
    for rule in rulebook.RULES.values():
        assert rule.kind in Kind.values and rule.article and rule.summary, rule.code


def test_every_named_service_exists():
    for rule in rulebook.RULES.values():
        if rule.service:
            assert callable(rulebook.resolve(rule.service)), rule.code
        else:
            assert rule.note and not rule.test, f"{rule.code}: a rule the portal does not enforce says why"


def _test_functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


def test_every_named_test_exists():
    missing = []
    for rule in rulebook.RULES.values():
        if not rule.test:
            continue
        file, _sep, name = rule.test.partition("::")
        path = ROOT / file
        if not path.is_file() or name not in _test_functions(path):
            missing.append(f"{rule.code}: {rule.test}")
    assert missing == []


def test_every_refusal_or_reason_rule_raised_through_the_rulebook_has_its_message():
    raised = {"D13", "D19-early", "D24", "N4", "N5", "N8-early", "N11", "N12", "N14", "N14-provisional", "N14-none",
              "N17", "N18", "N-number", "E3", "E4", "E8-early", "E13", "E21", "E21-facts", "E23"}
    for code in raised:
        assert rulebook.get(code).message, code


@pytest.mark.django_db
def test_the_matrix_reads_the_policy_table_of_the_day():
    rows = {row.rule.code: row for row in rules_matrix()}
    assert [value for _code, value, _source in rows["E13"].values] == ["90日"]
    assert [value for _code, value, _source in rows["N14"].values] == ["60个月", "24个月"]
    counts = rules_matrix_counts(list(rows.values()))
    assert counts["refused"] + counts["reason"] + counts["deadline"] == len(rulebook.RULES)


@pytest.mark.django_db
def test_the_command_prints_every_rule_and_the_counts():
    out = io.StringIO()
    call_command("rules_matrix", "--format", "csv", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "规则,来源,内容,依据,类别,政策表数值,执行服务,测试"
    assert len(lines) == len(rulebook.RULES) + 2
    counts = rules_matrix_counts(rules_matrix())
    assert lines[-1] == (f"共{len(rulebook.RULES)}条规则：拒绝办理{counts['refused']}条，须说明理由{counts['reason']}条，"
                         f"计算期限{counts['deadline']}条；其中未由本平台执行{counts['not_enforced']}条。")
    assert any(line.startswith("E21,E21,") and "enforcement.services.case_decide" in line for line in lines)


# ================================================================== the pages
@pytest.mark.django_db
def test_supervisors_see_every_rule_and_others_are_refused(client, django_assert_max_num_queries):
    client.force_login(factories.supervisor())
    with django_assert_max_num_queries(6):
        response = client.get(reverse("workbench:rules-matrix"))
    body = response.content.decode()
    assert response.status_code == 200
    assert all(f'id="rule-{code}"' in body for code in rulebook.RULES)
    assert "《中华人民共和国行政处罚法》第三十三条第一款" in body and "24个月" in body
    assert client.get(reverse("workbench:rules-matrix"), {"print": "1"}).status_code == 200
    client.force_login(factories.staff())
    assert client.get(reverse("workbench:rules-matrix")).status_code == 403
    assert client.get(reverse("workbench:rule-events")).status_code == 403


@pytest.mark.django_db
def test_the_events_page_lists_each_refusal_and_each_reason(client, django_assert_max_num_queries):
    from decisions import services
    from decisions.workflow import DecisionStatus

    staff = factories.staff()
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        decision = factories.decision_in_state(DecisionStatus.CONSULTING, staff_user=staff)
        with pytest.raises(rulebook.RuleRefused):
            services.decision_open_public_comment(actor=staff, decision_id=decision.pk, opened_on=dt.date(
                2026, 5, 11), closes_on=dt.date(2026, 5, 20), channel="网站")
        services.decision_open_public_comment(actor=staff, decision_id=decision.pk,
                                              opened_on=dt.date(2026, 5, 11),
                                              closes_on=dt.date(2026, 5, 20), channel="网站",
                                              short_period_reason="上级部署，限期出台。")
        client.force_login(factories.supervisor())
        with django_assert_max_num_queries(8):
            response = client.get(reverse("workbench:rule-events"), {"rule": "D13"})
        refused = client.get(reverse("workbench:rule-events"), {"kind": "refused", "rule": "D13"})
    rows = list(response.context["page"])
    assert [(e.event_type, e.details["rule"]) for e in rows] == [("rule_reason", "D13"), ("rule_refused", "D13")]
    body = response.content.decode()
    assert "上级部署，限期出台。" in body and "征求意见期限一般不少于30日" in body
    assert reverse("decisions:detail", args=[decision.pk]) in body
    assert [e.event_type for e in refused.context["page"]] == ["rule_refused"]
