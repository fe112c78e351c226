"""Security headers (issue 13, point 5): CSP without inline code, HSTS and the HTTPS redirect behind
the TLS proxy, no-store on everything that is not public, Referrer-Policy, Permissions-Policy, and
``check --deploy`` clean with the README's production settings."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests import factories
from tests.api_support import api

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/catalog/", "/public/decisions/", "/library/", "/public/enforcement/notices/",
                "/public/enforcement/bodies/", "/consultations/", "/search/?q=决定", "/open-data/",
                "/transparency/", "/accounts/login/"]
STAFF_PAGES = ["/work/", "/decisions/", "/normative/", "/enforcement/", "/work/reviews/", "/work/notifications/"]

#: Production settings as the README lists them (secret values made up for the check).
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x7!kq2#Lw9@vR4$tZ1^mB6&nC3*pD8(sF5)gH0-jK2_lM9+oN4=qP7~rS1" * 2,
    "DJANGO_ALLOWED_HOSTS": "fzhz.huzhou.gov.cn",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://fzhz.huzhou.gov.cn",
    "DJANGO_BEHIND_TLS_PROXY": "1",
    "HUZHOU_SIGNING_KEY": "8tLzwXJgabr/JmxXcBUpMocuXW770TBPnmOD4dmMbEI=",
}


def _directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_carry_a_policy_that_forbids_inline_code(client, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_the_policy_header_is_the_one_django_csp_builds_from_the_settings(client):
    from csp.utils import build_policy

    assert client.get("/")["Content-Security-Policy"] == build_policy()
    assert "Content-Security-Policy-Report-Only" not in client.get("/")


def test_a_changed_policy_setting_changes_the_header(client, settings):
    client.get("/")  # the settings' policy is built once, then kept
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"], "img-src": ["'self'", "https:"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    response = client.get("/")
    assert _directives(response["Content-Security-Policy"]) == {"default-src": ["'self'"], "img-src": ["'self'", "https:"]}
    assert response["Content-Security-Policy-Report-Only"] == "default-src 'none'"


def test_a_view_with_its_own_policy_keeps_it(client):
    policy = _directives(client.get("/api/redoc/")["Content-Security-Policy"])
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"] and policy["script-src"] == ["'self'"]


@pytest.mark.parametrize("url", ["/", "/library/", "/public/enforcement/notices/", "/api/v1/public/decisions/"])
def test_public_answers_to_anonymous_visitors_may_be_cached(client, url):
    assert "no-store" not in client.get(url).get("Cache-Control", "")


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_are_never_stored(client, url):
    user = factories.enforcement_officer(head=True)
    client.force_login(user)
    response = client.get(url)
    assert response.status_code in (200, 403), url
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_public_page_seen_by_a_signed_in_user_is_not_stored(client, staff_user):
    client.force_login(staff_user)
    assert "no-store" in client.get("/library/")["Cache-Control"]


@pytest.mark.parametrize("url", ["/api/v1/decisions/", "/api/v1/enforcement-cases/", "/api/v1/notifications/"])
def test_api_answers_with_a_token_are_never_stored(staff_user, url):
    response = api(staff_user).get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_api_refusal_of_an_anonymous_caller_is_not_stored_either():
    response = api().get("/api/v1/decisions/")
    assert response.status_code == 401
    assert "no-store" in response["Cache-Control"]


def test_no_template_carries_inline_script_style_or_event_handler():
    """The policy forbids inline code; a template that brings some back breaks in the browser.
    (The printable archive record lives inside the signed zip, opened offline: it keeps its style.)"""
    offenders = []
    roots = [Path(django_settings.BASE_DIR) / "templates",
             *Path(django_settings.BASE_DIR).glob("*/templates")]
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=\"|\son[a-z]+=\"", re.IGNORECASE)
    for root in roots:
        for path in root.rglob("*.html"):
            if path.name == "archive_record.html":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if inline.search(line):
                    offenders.append(f"{path.relative_to(django_settings.BASE_DIR)}:{number}")
    assert offenders == []


# ---------------------------------------------------------------- behind the TLS proxy
@pytest.fixture
def behind_tls_proxy(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    return settings


def test_behind_the_proxy_plain_http_is_redirected_to_https(behind_tls_proxy):
    from django.test import Client

    response = Client().get("/library/", HTTP_X_FORWARDED_PROTO="http")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/library/"


def test_behind_the_proxy_https_answers_carry_hsts(behind_tls_proxy):
    from django.test import Client

    response = Client().get("/library/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    full_env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "HUZHOU_"))}
    full_env.update({"DJANGO_SETTINGS_MODULE": "huzhou_rule.settings", **env})
    return subprocess.run([sys.executable, *args], cwd=django_settings.BASE_DIR, env=full_env,
                          capture_output=True, text=True, timeout=120)


def test_the_tls_proxy_setting_turns_on_hsts_and_the_redirect():
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)")
    on = _run(["-c", code], PRODUCTION_ENV)
    off = _run(["-c", code], {**PRODUCTION_ENV, "DJANGO_BEHIND_TLS_PROXY": "0"})
    assert on.stdout.split() == ["True", "31536000", "True"], on.stderr
    assert off.stdout.split() == ["False", "0", "True"], off.stderr


def test_check_deploy_is_clean_with_the_readme_production_settings():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
