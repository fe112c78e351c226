"""The public page cache: anonymous public pages come from the cache, per language, never stale after
a publication; ETag/304 and Cache-Control for a CDN; signed-in pages and forms are never cached."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from decisions.workflow import DecisionStatus, Disclosure
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


def published(title, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return factories.DecisionFactory(title=title, status=DecisionStatus.EXECUTING, disclosure=Disclosure.PUBLIC,
                                         published_at=timezone.make_aware(dt.datetime(2026, 3, 1, 9)))


def test_an_anonymous_public_page_is_served_from_the_cache_without_a_query(client, django_assert_num_queries,
                                                                           django_capture_on_commit_callbacks):
    published("湖州市公交线网优化决策", django_capture_on_commit_callbacks)
    first = client.get(reverse("public:decision-list"))
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(reverse("public:decision-list"))
    assert second["X-Page-Cache"] == "hit" and second.content == first.content
    assert "湖州市公交线网优化决策" in second.content.decode()
    assert "public" in second["Cache-Control"] and "s-maxage=0" in second["Cache-Control"]


def test_a_publication_or_withdrawal_is_shown_at_once(client, django_capture_on_commit_callbacks):
    client.get(reverse("public:decision-list"))
    decision = published("湖州市停车收费管理决策", django_capture_on_commit_callbacks)
    assert "湖州市停车收费管理决策" in client.get(reverse("public:decision-list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        decision.disclosure, decision.withheld_reason = Disclosure.WITHHELD, "涉及国家秘密。"
        decision.save()
    assert "湖州市停车收费管理决策" not in client.get(reverse("public:decision-list")).content.decode()


@pytest.mark.parametrize("cdn_max_age", [0, 300])
def test_a_hit_carries_the_same_caching_headers_as_the_stored_answer(client, settings, cdn_max_age):
    settings.HUZHOU_CDN_MAX_AGE = cdn_max_age
    first, second = client.get(reverse("public:home")), client.get(reverse("public:home"))
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    differ = {"X-Page-Cache", "X-Request-ID"}
    assert {name: value for name, value in second.headers.items() if name not in differ} == {
        name: value for name, value in first.headers.items() if name not in differ}
    assert second["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in second["Content-Security-Policy"]
    assert f"s-maxage={cdn_max_age}" in second["Cache-Control"]


def test_an_unchanged_page_answers_304_to_its_etag(client):
    first = client.get(reverse("public:home"))
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(reverse("public:home"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_each_language_has_its_own_cached_page(client):
    chinese = client.get(reverse("public:home")).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(reverse("public:home"))
    assert english.content.decode() != chinese and english["Content-Language"] == "en"


def test_the_public_api_is_cached_and_the_page_carries_no_csrf_token(client):
    client.get("/api/v1/public/decisions/")
    assert client.get("/api/v1/public/decisions/")["X-Page-Cache"] == "hit"
    assert "csrfmiddlewaretoken" not in client.get(reverse("public:home")).content.decode()


def test_a_signed_in_user_is_never_served_a_cached_page(client, office_user):
    client.get(reverse("public:home"))
    client.force_login(office_user)
    response = client.get(reverse("public:home"))
    assert not response.has_header("X-Page-Cache")
    assert office_user.full_name in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_a_public_page_with_a_form_is_never_cached(rf):
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    from core.pagecache import PublicPageCacheMiddleware

    def form_page(request):
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')

    middleware = PublicPageCacheMiddleware(form_page)
    for _ in range(2):
        response = middleware(rf.get("/library/1/suggest/"))
        assert not response.has_header("X-Page-Cache")
