from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from core import account_views
from deadlines.feeds import calendar_feed
from huzhou_rule import ops
from portal.language import switch_language
from portal.sitemaps import SITEMAPS

handler500 = "core.failures.server_error"

urlpatterns = [
    path("healthz", ops.healthz, name="healthz"),
    path("readyz", ops.readyz, name="readyz"),
    path("metrics", ops.metrics, name="metrics"),
    path("", include("portal.public_urls")),
    path("accounts/login/", login_not_required(auth_views.LoginView.as_view()), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/2fa/setup/", account_views.two_factor_setup, name="account-2fa-setup"),
    path("accounts/2fa/", account_views.two_factor_verify, name="account-2fa-verify"),
    path("accounts/password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("work/security/lockouts/", account_views.lockouts, name="account-lockouts"),
    path("work/security/roles/", account_views.roles, name="account-roles"),
    path("work/security/roles/<int:user_id>/", account_views.roles, name="account-roles-edit"),
    path("work/security/roles/<int:user_id>/reset-2fa/", account_views.two_factor_reset, name="account-2fa-reset"),
    path("work/security/log/", account_views.security_log, name="security-log"),
    # the footer language switch is for everyone, not only staff (LoginRequiredMiddleware is on)
    path("i18n/setlang/", switch_language, name="set_language"),
    path("work/", include("workbench.urls")),
    path("work/", include("reviews.urls")),
    path("work/", include("deadlines.urls")),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar-feed"),
    path("decisions/", include("decisions.urls")),
    path("normative/", include("normative_docs.urls")),
    path("enforcement/", include("enforcement.urls")),
    path("library/", include("normative_docs.public_urls")),
    path("public/enforcement/", include("enforcement.public_urls")),
    path("public/enforcement-reports/", include("enforcement.report_urls")),
    path("open-data/", include("portal.opendata_urls")),
    path("search/", include("search.urls")),
    path("feeds/", include("portal.feed_urls")),
    path("subscribe/", include("subscriptions.urls")),
    path("transparency/", include("portal.transparency_urls")),
    path("consultations/", include("consultations.urls")),
    path("contracts/", include("contracts.urls")),
    path("legal-affairs/", include("legal_affairs.urls")),
    path("sitemap.xml", login_not_required(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("core.api.urls")),
    path("api/v1/", include("reviews.api.urls")),
    path("api/v1/", include("decisions.api.urls")),
    path("api/v1/", include("normative_docs.api.urls")),
    path("api/v1/", include("enforcement.api.urls")),
    path("api/v1/", include("deadlines.api")),
    path("api/v1/", include("search.api.urls")),
    path("api/v1/", include("consultations.api_urls")),
    path("api/v1/", include("contracts.api.urls")),
    path("api/v1/", include("legal_affairs.api.urls")),
    path("api/v1/", include("workbench.api")),
    path("api/schema/", login_not_required(SpectacularAPIView.as_view()), name="api-schema"),
    # Swagger UI's start script is a separate request (no inline script); both pages use the sidecar's files.
    path("api/docs/", login_not_required(SpectacularSwaggerSplitView.as_view(
        url_name="api-schema", template_name="api/swagger_ui.html")), name="api-docs"),
    # ReDoc styles itself with generated <style> elements and searches in a blob: worker: the one
    # page whose policy allows inline styles (it shows the public schema only, no user data)
    path("api/redoc/", login_not_required(csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"],
                                                      "img-src": ["blob:"]})(SpectacularRedocView.as_view(
        url_name="api-schema", template_name="api/redoc.html"))), name="api-redoc"),
]
