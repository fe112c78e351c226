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
