"""The staff side navigation, grouped by work, and the breadcrumbs of every page.

The side navigation shows a signed-in person only the pages they may open (the same predicates the
views check); ``tests/portal_quality/test_navigation.py`` opens every link it shows for each demo role.
Breadcrumbs lead from the home page (public pages) or 我的工作 (staff pages) to the section a page
belongs to; the current page is the heading below them, not a crumb."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.models import Role
from core.permissions import is_office, is_reviewer, is_supervisor
from core.urlcache import reverse_static
from deadlines.permissions import can_see_all_deadlines, is_administrator
from enforcement.guidance import can_view_guidance_pages
from enforcement.supervision import can_view_supervision
from normative_docs.filing_selectors import may_see_filing_queue
from normative_docs.oversight import can_view_oversight

from .coverage import can_see_coverage


def _staff_like(user) -> bool:
    return any(user.has_role(role) for role in (Role.STAFF, Role.HEAD, Role.OFFICE, Role.SUPERVISOR, Role.REVIEWER))


def _everyone(user) -> bool:
    return True


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    visible: Callable = _everyone
    #: other url names (namespace:name or namespace:*) that light this link up as the current section
    also: tuple[str, ...] = ()


GROUPS: list[tuple[str, list[Link]]] = [
    (_("我的工作"), [
        Link(_("我的工作"), "workbench:my-work"),
        Link(_("我的期限"), "workbench:my-deadlines", also=("deadlines:clock-detail",)),
        Link(_("消息"), "deadlines:notifications", also=("deadlines:notification-settings",)),
    ]),
    (_("决策"), [
        Link(_("决策办理"), "decisions:list", also=("decisions:*",)),
        Link(_("目录管理"), "decisions:catalog-manage", also=("decisions:catalog-manage-year",)),
    ]),
    (_("规范性文件"), [
        Link(_("文件办理"), "normative_docs:list", _staff_like, also=("normative_docs:*",)),
        Link(_("备案审查"), "normative_docs:filing-queue", may_see_filing_queue, also=("normative_docs:filing-detail",)),
        Link(_("审查建议"), "normative_docs:suggestion-list", lambda u: is_supervisor(u) or is_reviewer(u),
             also=("normative_docs:suggestion-detail",)),
        Link(_("文件清理"), "normative_docs:cleanup-list", also=("normative_docs:cleanup-detail",)),
    ]),
    (_("执法"), [
        Link(_("执法案件"), "enforcement:list", _staff_like, also=("enforcement:*",)),
        Link(_("指导案例"), "enforcement:guidance-list", can_view_guidance_pages,
             also=("enforcement:guidance-detail",)),
    ]),
    (_("合同与法务"), [
        Link(_("行政合同"), "contracts:list", _staff_like, also=("contracts:*",)),
        Link(_("法律顾问"), "legal_affairs:advisers", _staff_like),
        Link(_("党政联席会议"), "legal_affairs:meetings",
             lambda u: any(u.has_role(r) for r in (Role.STAFF, Role.HEAD, Role.SUPERVISOR, Role.REVIEWER))),
    ]),
    (_("审查"), [
        Link(_("审查队列"), "reviews:review-queue", lambda u: is_reviewer(u) or is_office(u) or is_supervisor(u),
             also=("reviews:*",)),
    ]),
    (_("监督"), [
        Link(_("期限督办"), "deadlines:overdue", can_see_all_deadlines),
        Link(_("执法监督"), "enforcement:supervision", can_view_supervision),
        Link(_("执法统计年报"), "enforcement:report", can_view_supervision),
        Link(_("备案监督与统计"), "normative_docs:oversight", can_view_oversight, also=("normative_docs:statistics",)),
        Link(_("规则矩阵"), "workbench:rules-matrix", can_see_all_deadlines, also=("workbench:rule-events",)),
        Link(_("覆盖率"), "workbench:coverage", can_see_coverage),
    ]),
    (_("管理"), [
        Link(_("工作日历"), "deadlines:calendar", is_administrator),
        Link(_("系统管理"), "admin:index", lambda u: u.is_staff and is_administrator(u)),
    ]),
]


def _current(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else ""


def side_nav(request) -> list[dict]:
    """The groups with the links this person may open; the link of the current page is marked
    (an exact match first, else the section that claims it)."""
    user = request.user
    current = _current(request)
    groups = []
    for title, links in GROUPS:
        items = [{"label": link.label, "url": reverse_static(link.url_name), "name": link.url_name, "current": False,
                  "link": link} for link in links if link.visible(user)]
        if items:
            groups.append({"title": title, "items": items})
    flat = [item for group in groups for item in group["items"]]
    chosen = (next((i for i in flat if i["name"] == current), None)
              or next((i for i in flat if current in i["link"].also), None)
              or next((i for i in flat if f"{current.split(':')[0]}:*" in i["link"].also), None))
    if chosen is not None:
        chosen["current"] = True
    return groups


def side_nav_html(groups: list[dict]) -> str:
    """The side navigation's markup, written here rather than by a template loop (every signed-in page has it:
    ~0.25 ms through the template, its lazy labels resolved and escaped one lookup at a time); the markup is the
    template's (``tests/workbench/test_navigation_markup.py``). "" without groups."""
    if not groups:
        return ""
    parts = [f'<nav class="sidenav" id="sidenav" aria-label="{_escape(gettext("工作导航"))}">\n']
    for number, group in enumerate(groups, 1):
        parts.append(f'<div class="sidenav-section"><p class="sidenav-group" id="sidenav-{number}">'
                     f'{_escape(group["title"])}</p>\n<ul aria-labelledby="sidenav-{number}">')
        parts.extend(f'<li><a href="{_escape(item["url"])}"{CURRENT if item["current"] else ""}>'
                     f'{_escape(item["label"])}</a></li>' for item in group["items"])
        parts.append("</ul></div>\n")
    parts.append("</nav>")
    return mark_safe("".join(parts))  # every part above is escaped


CURRENT = ' aria-current="page"'


def _escape(value) -> str:
    return conditional_escape(str(value))  # a lazy label made a string once, not at each attribute lookup


#: namespace → (the section's name, its start page, whether it is a staff section)
SECTIONS: dict[str, tuple[str, str, bool]] = {
    "public": (_("决策公开"), "public:decision-list", False),
    "library": (_("规范性文件库"), "library:list", False),
    "consultations": (_("征求意见"), "consultations:list", False),
    "enforcement_public": (_("执法公示"), "enforcement_public:notices", False),
    "enforcement_reports": (_("执法统计年报"), "enforcement_reports:index", False),
    "opendata": (_("开放数据"), "opendata:index", False),
    "search": (_("站内搜索"), "search:index", False),
    "subscriptions": (_("邮件订阅"), "subscriptions:subscribe", False),
    "transparency": (_("审计透明度"), "transparency:index", False),
    "decisions": (_("决策办理"), "decisions:list", True),
    "normative_docs": (_("规范性文件"), "normative_docs:list", True),
    "enforcement": (_("执法案件"), "enforcement:list", True),
    "contracts": (_("行政合同"), "contracts:list", True),
    "legal_affairs": (_("法律顾问"), "legal_affairs:advisers", True),
    "reviews": (_("审查队列"), "reviews:review-queue", True),
    "deadlines": (_("期限"), "workbench:my-deadlines", True),
    "workbench": (_("我的工作"), "workbench:my-work", True),
}
#: pages of the public namespace that belong to another section than 决策公开
PUBLIC_SECTIONS = {"public:catalog-index": "catalog", "public:catalog": "catalog", "public:catalog-item": "catalog",
                   "public:catalog-body": "catalog"}


def breadcrumbs(request) -> list[dict]:
    """The crumbs above the page's heading: [{label, url}], empty on the home page."""
    current = _current(request)
    if not current or current == "public:home":
        return []
    if current == "workbench:my-work":
        return [{"label": _("首页"), "url": reverse_static("public:home")}]
    namespace = current.split(":")[0]
    section = SECTIONS.get(namespace)
    if section is None:
        return [{"label": _("首页"), "url": reverse_static("public:home")}]
    label, start, staff = section
    if PUBLIC_SECTIONS.get(current) == "catalog":
        label, start = _("决策事项目录"), "public:catalog-index"
    trail = [{"label": _("我的工作"), "url": reverse_static("workbench:my-work")} if staff
             else {"label": _("首页"), "url": reverse_static("public:home")}]
    if current != start and start != "workbench:my-work":
        trail.append({"label": label, "url": reverse_static(start)})
    return trail
