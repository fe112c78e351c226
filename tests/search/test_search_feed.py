"""An Atom feed of any search (订阅此搜索): the newest public matches, the same visibility as
the search page (withheld or unpublished never appear: they leave the index on commit), and a
clear answer to an empty or too long query."""
import datetime as dt
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from decisions.workflow import DecisionStatus, Disclosure
from search import indexing
from search.models import Kind
from tests import factories
from tests.portal.test_feeds import withhold

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        yield


def decision(title, *, day, **fields):
    return factories.DecisionFactory(title=title, status=DecisionStatus.EXECUTING, disclosure=Disclosure.PUBLIC,
                                     published_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9))), **fields)


def read(client, **params):
    response = client.get(reverse("feeds:search"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return root.findtext(f"{ATOM}title"), [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]


def test_the_feed_lists_the_newest_public_matches_first(client):
    decision("湖州市停车收费管理决策", day=dt.date(2026, 4, 1))
    decision("湖州市停车场建设规划决策", day=dt.date(2026, 5, 1))
    decision("湖州市公交线网优化决策", day=dt.date(2026, 5, 2))
    indexing.index_all()
    title, entries = read(client, q="停车")
    assert "停车" in title
    assert entries == ["湖州市停车场建设规划决策", "湖州市停车收费管理决策"]


def test_withheld_and_unpublished_items_never_appear(client, django_capture_on_commit_callbacks):
    decision("湖州市停车收费管理决策", day=dt.date(2026, 4, 1))
    later_withheld = decision("湖州市停车场建设规划决策", day=dt.date(2026, 5, 1))
    withhold(decision("湖州市停车秘密事项决策", day=dt.date(2026, 5, 1)))  # withheld before indexing
    factories.DecisionFactory(title="湖州市停车起草中决策")  # drafting: never published
    indexing.index_all()
    with django_capture_on_commit_callbacks(execute=True):  # after indexing: leaves the index on commit
        later_withheld.disclosure, later_withheld.withheld_reason = Disclosure.WITHHELD, "涉及国家秘密。"
        later_withheld.save()
    _title, entries = read(client, q="停车")
    assert entries == ["湖州市停车收费管理决策"]


def test_the_kind_filter_narrows_the_feed(client):
    decision("湖州市停车收费管理决策", day=dt.date(2026, 4, 1))
    indexing.index_all()
    assert read(client, q="停车", kind=Kind.DECISION)[1] == ["湖州市停车收费管理决策"]
    assert read(client, q="停车", kind=Kind.NORMATIVE)[1] == []


def test_an_empty_query_is_an_empty_feed_that_says_so(client):
    decision("湖州市停车收费管理决策", day=dt.date(2026, 4, 1))
    indexing.index_all()
    title, entries = read(client)
    assert entries == [] and "未填写关键词" in title


def test_a_too_long_query_is_refused(client):
    response = client.get(reverse("feeds:search"), {"q": "停" * 101})
    assert response.status_code == 400
    assert "不能超过100个字符" in response.content.decode()


def test_the_search_page_links_to_the_feed_and_the_email_subscription(client):
    decision("湖州市停车收费管理决策", day=dt.date(2026, 4, 1))
    indexing.index_all()
    content = client.get(reverse("search:index"), {"q": "停车"}).content.decode()
    assert f'href="{reverse("feeds:search")}?q=%E5%81%9C%E8%BD%A6"' in content
    assert f'href="{reverse("subscriptions:subscribe")}?topics=search&amp;q=%E5%81%9C%E8%BD%A6"' in content


def test_the_feed_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for n in range(30):
        decision(f"湖州市停车管理决策{n}", day=dt.date(2026, 4, 1))
    indexing.index_all()
    # in a savepoint: the planner settings, at most three windows and all entries; the rows
    with django_assert_max_num_queries(8):
        assert len(read(client, q="停车")[1]) == 30


def test_a_digest_day_is_one_window_and_finds_that_day_only(django_assert_max_num_queries, monkeypatch):
    from search import selectors
    from search.feeds import newest_matching

    on_day = decision("湖州市停车管理决策", day=dt.date(2026, 5, 10))
    decision("湖州市停车收费决策", day=dt.date(2026, 5, 9))
    indexing.index_all()
    monkeypatch.setattr(selectors, "first_window", lambda *stats: 400)  # a window reaching back past the day
    with django_assert_max_num_queries(5):  # savepoint, settings, the day's matches, release; the rows
        found = newest_matching(selectors.SearchParams(q="停车"), since=dt.date(2026, 5, 10), until=dt.date(2026, 5, 11))
    assert [e.object_id for e in found] == [on_day.pk]
