"""Supervisors and the office see what is late across the bodies on their 我的工作, each figure linking
to its list; the others do not; charts carry a title, their axes with units and a data table."""
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from decisions.workflow import DecisionStatus
from enforcement import reports
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_supervisors_my_work_shows_the_late_work_with_links(client, supervisor_user):
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        factories.decision_in_state(DecisionStatus.LEGALITY_REVIEW)
    with time_machine.travel("2026-07-30 10:00 +0800", tick=False):
        client.force_login(supervisor_user)
        html = client.get(reverse("workbench:my-work")).content.decode()
    board = re.search(r'data-testid="supervision-dashboard".*?</section>', html, re.S).group(0)
    overdue = re.search(r'<a href="/work/deadlines/overdue/"><span class="figure late">(\d+)</span>', board)
    assert overdue and int(overdue.group(1)) >= 1
    assert reverse("enforcement:supervision") in board and reverse("normative_docs:oversight") in board


def test_staff_see_no_supervision_overview(client, staff_user):
    client.force_login(staff_user)
    assert 'data-testid="supervision-dashboard"' not in client.get(reverse("workbench:my-work")).content.decode()


def test_a_chart_has_its_title_axes_with_units_and_its_data_table():
    data = {"bodies": [{"name": "市市场监管局", "opened": 8, "fines": "55000"}], "areas": []}
    chart = reports.charts(data)[0]
    assert chart["title"] == "各执法主体立案数" and chart["rows"] == [("市市场监管局", "8")]
    svg = str(chart["svg"])
    assert "<title>各执法主体立案数</title>" in svg and svg.count("各执法主体立案数") == 2  # and the aria-label
    assert "立案数（件）" in svg and ">执法主体</text>" in svg  # value axis with unit, category axis
    assert ">0</text>" in svg and ">8</text>" in svg  # ticks at 0 and the maximum


def test_a_chart_in_english_writes_its_units_as_english_does():
    data = {"bodies": [{"name": "市市场监管局", "opened": 8, "fines": "1250000"}], "areas": []}
    with translation.override("en"):
        opened, fines, _areas = reports.charts(data)
    assert opened["measure"] == "Cases filed (cases)" and ">8 cases</text>" in str(opened["svg"])
    assert ">1,250,000 yuan</text>" in str(fines["svg"])
    assert 'aria-label="Cases filed by enforcement body: 市市场监管局 8 cases"' in str(opened["svg"])
