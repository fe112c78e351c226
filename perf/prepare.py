"""Print, one per line, what perf/bench.sh measures: "<label> <path>" for page 1 and a page DEEP clicks
deep of each list (following the real next links), and "LOGIN <username>" of a unit's staff user whose
password it sets (PERF_PASSWORD) for the staff lists. Run from the checkout: .venv/bin/python perf/prepare.py"""
from __future__ import annotations

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huzhou_rule.settings")
os.environ["HUZHOU_PAGE_CACHE"] = "0"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from core.models import Role, User  # noqa: E402
from decisions.models import Catalog  # noqa: E402

DEEP = int(os.environ.get("DEEP", "50"))
NEXT = re.compile(r'rel="next" href="\?([^"]+)"')

settings.ALLOWED_HOSTS = ["*"]


def deep_html(client: Client, path: str, clicks: int = DEEP) -> str:
    url = path
    for _ in range(clicks):
        body = client.get(url).content.decode()
        found = NEXT.search(body)
        if not found:
            break
        url = path.split("?")[0] + "?" + found.group(1).replace("&amp;", "&")
    return url


def deep_api(client: Client, path: str, clicks: int = DEEP) -> str:
    url = path
    for _ in range(clicks):
        nxt = client.get(url).json().get("next")
        if not nxt:
            break
        url = nxt.split("testserver", 1)[-1]
    return url


def main() -> None:
    anonymous = Client()
    catalog = Catalog.objects.published().select_related("body").order_by("-year").first()
    public = [("home", "/"), ("decisions", "/public/decisions/"), ("notices", "/public/enforcement/notices/"),
              ("library", "/library/"), ("api-decisions", "/api/v1/public/decisions/")]
    if catalog is not None:
        public.append(("catalog", f"/catalog/{catalog.year}/"))
        public.append(("api-catalog", f"/api/v1/public/catalogs/{catalog.year}/"))
    for label, path in public:
        print(label, path)
        deep = deep_api(anonymous, path) if path.startswith("/api/") else deep_html(anonymous, path)
        if deep != path:
            print(f"{label}-deep", deep)
    # a unit's staff and head (no second factor required, unlike the office, supervisors and reviewers):
    # their lists are their unit's decisions, documents and cases
    from core.models import Department

    user, _created = User.objects.get_or_create(username="perf_staff", defaults={
        "full_name": "性能测试", "roles": [Role.STAFF, Role.HEAD], "department": Department.objects.get(code="hz-drc")})
    user.set_password(os.environ.get("PERF_PASSWORD", "Perf#Bench2026-long-pass"))
    user.save()
    staff = Client()
    staff.force_login(user)
    for label, path in [("staff-decisions", "/decisions/"), ("staff-documents", "/normative/"),
                        ("staff-cases", "/enforcement/"), ("staff-api-decisions", "/api/v1/decisions/"),
                        ("my-work", "/work/"),
                        # the floor of every signed-in page: the shell (header, side navigation, footer) and
                        # the session, second-factor, lockout and account checks around an empty list
                        ("staff-shell", reverse("deadlines:notifications"))]:
        print(label, path)
        if label not in ("my-work", "staff-shell"):
            deep = deep_api(staff, path) if path.startswith("/api/") else deep_html(staff, path)
            if deep != path:
                print(f"{label}-deep", deep)
    print("LOGIN", user.username)  # bench.sh signs in through the login form of a running server


if __name__ == "__main__":
    main()
