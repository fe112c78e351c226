"""The side navigation shows each person only the work they may open, grouped by work, and every link
it shows opens; the public sees none. Breadcrumbs lead to the page's section."""
import pytest
from django.test import RequestFactory
from django.urls import resolve, reverse

from tests import factories
from workbench import navigation

pytestmark = pytest.mark.django_db

GROUP_ORDER = ["我的工作", "决策", "规范性文件", "执法", "合同与法务", "审查", "监督", "管理"]


def people():
    return {"staff": factories.staff("hz-drc"), "reviewer": factories.reviewer(), "office": factories.office(),
            "supervisor": factories.supervisor(), "officer": factories.enforcement_officer()}


def nav_for(user, path="/work/"):
    request = RequestFactory().get(path)
    request.user, request.resolver_match = user, resolve(path)
    return navigation.side_nav(request)


def test_every_link_of_the_side_navigation_opens_for_the_person_it_is_shown_to(client):
    refused = []
    for name, user in people().items():
        client.force_login(user)
        for group in nav_for(user):
            for item in group["items"]:
                status = client.get(item["url"]).status_code
                if status != 200:
                    refused.append((name, str(item["label"]), item["url"], status))
    assert not refused


def test_the_groups_follow_the_order_of_the_work_and_the_supervisor_sees_supervision(db):
    users = people()
    titles = [str(g["title"]) for g in nav_for(users["supervisor"])]
    assert titles == [t for t in GROUP_ORDER if t in titles] and "监督" in titles
    assert "监督" not in [str(g["title"]) for g in nav_for(users["staff"])]


def test_the_current_section_is_marked(db):
    user = factories.office()
    groups = nav_for(user, reverse("decisions:catalog-manage"))
    current = [str(i["label"]) for g in groups for i in g["items"] if i["current"]]
    assert current == ["目录管理"]


def test_the_public_sees_no_side_navigation_and_breadcrumbs_lead_home(client):
    html = client.get(reverse("library:list")).content.decode()
    assert 'class="sidenav"' not in html
    assert '<nav class="breadcrumbs"' in html and 'href="/"' in html


def test_a_staff_page_leads_back_to_its_section_and_my_work(client):
    decision = factories.decision_in_state("drafting")
    client.force_login(decision.created_by)
    html = client.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    crumbs = html.split('<nav class="breadcrumbs"')[1].split("</nav>")[0]
    assert reverse("workbench:my-work") in crumbs and reverse("decisions:list") in crumbs


@pytest.mark.parametrize("path", ["/catalog/2026/", "/catalog/2026/items/7/", "/catalog/2026/zhili/"])
def test_every_catalog_page_leads_back_to_the_catalog_a_townships_too(path):
    request = RequestFactory().get(path)
    request.resolver_match = resolve(path)
    crumbs = [(str(c["label"]), c["url"]) for c in navigation.breadcrumbs(request)]
    assert crumbs == [("首页", "/"), ("决策事项目录", reverse("public:catalog-index"))]
