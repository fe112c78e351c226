"""A member of the public, without an account, searches the portal in a real browser: finds a
published decision by a two-character Chinese term and a normative document by its 文号,
written with other brackets or as printed; what is not published never shows."""
import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from decisions.workflow import DecisionStatus
from normative_docs.models import NormativeDocument
from normative_docs.workflow import DocumentStatus
from search import indexing
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def published_decision(title, **fields):
    return factories.DecisionFactory(title=title, status=DecisionStatus.EXECUTING, disclosure="public",
                                     published_at=timezone.make_aware(dt.datetime(2026, 3, 1, 9)), **fields)


def normative(title, *, number="", status=DocumentStatus.PUBLISHED):
    department = factories.department("hz-drc")
    published = status == DocumentStatus.PUBLISHED
    return NormativeDocument.objects.create(
        title=title, issuer=department, drafting_department=department, filing_body=factories.department("hz-justice"),
        reason="制定理由。", body="第一条 为了规范管理，制定本办法。", status=status, number=number,
        registration_number="ZJHZ13-2026-0005" if published else "",
        published_on=dt.date(2026, 1, 10) if published else None,
        effective_on=dt.date(2026, 2, 10) if published else None,
        valid_until=dt.date(2031, 2, 9) if published else None, created_by=factories.staff("hz-drc"))


def search(page, live_server, term):
    page.goto(f"{live_server.url}/search/")
    form = page.locator("#content").get_by_role("search")
    form.get_by_label("关键词或文号").fill(term)
    form.get_by_role("button", name="搜索").click()


@time_machine.travel("2026-05-11 10:00 +0800", tick=True)
def test_the_public_finds_decisions_by_a_chinese_term_and_documents_by_their_number(page, live_server):
    published_decision("湖州市垃圾分类管理决策")
    factories.DecisionFactory(title="垃圾收费调整决策", status=DecisionStatus.DRAFTING)
    normative("湖州市促进科技创新若干措施", number="湖发改规〔2026〕5号")
    normative("湖州市垃圾处理设施管理办法（征求意见稿）", status=DocumentStatus.DRAFTING)
    indexing.index_all()

    search(page, live_server, "垃圾")
    results = page.locator("ol.results")
    expect(results.get_by_role("link", name="湖州市垃圾分类管理决策")).to_be_visible()
    expect(results.locator("mark").first).to_have_text("垃圾")
    expect(page.get_by_text("共找到 1 条结果")).to_be_visible()
    expect(page.get_by_text("垃圾收费调整决策")).to_have_count(0)
    expect(page.get_by_text("垃圾处理设施管理办法")).to_have_count(0)

    for term in ("湖发改规[2026]5号", "湖发改规(2026)5号", "湖发改规〔2026〕5号"):
        search(page, live_server, term)
        link = page.locator("ol.results").get_by_role("link", name="湖州市促进科技创新若干措施")
        expect(link).to_be_visible()

    link.click()
    expect(page.get_by_role("heading", name="湖州市促进科技创新若干措施")).to_be_visible()
