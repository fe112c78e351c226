"""Response headers of 等保 level 3 that Django does not set by itself (issue 13, point 5).

* ``Cache-Control: no-store`` (Django's ``add_never_cache_headers``) on every answer that is not
  public: a page behind the login, any API answer outside ``/api/v1/public/`` and the schema, and
  anything answered to a signed-in user or to a request carrying credentials — so neither a
  shared proxy nor the browser's back button keeps staff data (剩余信息保护).
* ``Permissions-Policy``: no camera, microphone, geolocation, payment or USB for any page.

The Content-Security-Policy comes from django-csp (settings ``CONTENT_SECURITY_POLICY``), HSTS
and the HTTPS redirect from Django's SecurityMiddleware (settings, with DJANGO_BEHIND_TLS_PROXY),
Referrer-Policy from ``SECURE_REFERRER_POLICY``.
"""
from __future__ import annotations

import csp.constants
import csp.middleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.cache import add_never_cache_headers

PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
                      "microphone=(), payment=(), usb=(), interest-cohort=()")
#: API paths anyone may read; their answers may be cached like the public pages.
PUBLIC_API_PREFIXES = ("/api/v1/public/", "/api/schema/", "/api/docs/")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if not self._is_public(request):
            add_never_cache_headers(response)
            response.headers["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Django's LoginRequiredMiddleware reads the same attribute (login_not_required sets it;
        # DRF sets it on every API view, whose access the permission classes decide)
        request.public_view = getattr(view_func, "login_required", True) is False
        return None

    @staticmethod
    def _is_public(request) -> bool:
        if "HTTP_AUTHORIZATION" in request.META:
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        if request.path.startswith("/api/"):
            return request.path.startswith(PUBLIC_API_PREFIXES)
        return getattr(request, "public_view", False)


# ---------------------------------------------------------------- Content-Security-Policy, built once
#: (header, excluded path prefixes) of the settings' policy and of its report-only twin, built on first use and
#: again after a test changes the settings; a response with its own policy (csp_update…) or a nonce is built by
#: django-csp itself.
_SETTINGS_POLICIES: dict[bool, tuple[str, tuple[str, ...]]] = {}
_RESPONSE_POLICY_ATTRS = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro",
                          "_csp_replace_ro")


def _settings_policy(report_only: bool) -> tuple[str, tuple[str, ...]]:
    found = _SETTINGS_POLICIES.get(report_only)
    if found is None:
        name = "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
        policy = getattr(settings, name, None) or {}
        found = (build_policy(report_only=report_only), tuple(policy.get("EXCLUDE_URL_PREFIXES", None) or ()))
        _SETTINGS_POLICIES[report_only] = found
    return found


@receiver(setting_changed)
def _forget_policies(*, setting, **_kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _SETTINGS_POLICIES.clear()


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, but the header of the settings' policy is built once per process instead of
    twice per response (the policy and the empty report-only one: ~0.07 ms of a page-cache hit's ~0.4)."""

    def process_response(self, request, response):
        if (getattr(request, "_csp_nonce", None) is not None
                or any(getattr(response, name, None) is not None for name in _RESPONSE_POLICY_ATTRS)
                or (settings.DEBUG and response.status_code in (404, 500))):
            return super().process_response(request, response)
        for report_only, header, exempt in ((False, csp.constants.HEADER, "_csp_exempt"),
                                            (True, csp.constants.HEADER_REPORT_ONLY, "_csp_exempt_ro")):
            policy, excluded = _settings_policy(report_only)
            if (policy and header not in response and getattr(response, exempt, False) is False
                    and not request.path_info.startswith(excluded)):
                response[header] = policy
        # as django-csp: reading request.csp_nonce after the header is written is an error
        request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response
