"""Government-portal conventions and one date style: the footer's identity fields (configurable, hidden
when unset), a 网站地图 page, feeds advertised in <head> and shown readably through an XSL stylesheet,
coloured status badges that keep their text, and dates as 2026年5月11日 (28 March 2026 in English) in
a <time> that carries the ISO date."""
import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@override_settings(HUZHOU_SITE_CODE="3305000013", HUZHOU_ICP_NUMBER="浙ICP备05000013号",
                   HUZHOU_PSB_NUMBER="浙公网安备 33050202000013号")
def test_the_footer_shows_the_configured_identity_and_the_site_map(client):
    html = client.get("/library/").content.decode()
    footer = html.split('<footer class="site">')[1]
    for text in ("网站标识码：3305000013", "浙ICP备05000013号", "浙公网安备 33050202000013号", "网站地图"):
        assert text in footer


def test_an_unset_identity_field_is_not_shown(client, settings):
    settings.HUZHOU_SITE_CODE = ""
    assert "网站标识码" not in client.get("/library/").content.decode()


def test_the_site_map_lists_every_public_section(client):
    response = client.get(reverse("public:sitemap"))
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("public:catalog-index", "public:decision-list", "library:list", "consultations:list",
                 "enforcement_public:notices", "enforcement_reports:index", "opendata:index", "search:index"):
        assert f'href="{reverse(name)}"' in html, name


def test_pages_advertise_the_feeds_and_a_feed_carries_its_stylesheet(client):
    head = client.get("/").content.decode().split("</head>")[0]
    assert 'rel="alternate" type="application/atom+xml"' in head and reverse("feeds:decisions") in head
    feed = client.get(reverse("feeds:decisions")).content.decode()
    assert feed.index('<?xml-stylesheet href="/static/feeds/atom.xsl"') < feed.index("<feed")
    assert 'type="text/xsl"' in feed.split("<feed")[0]
    assert (Path(settings.BASE_DIR) / "static" / "feeds" / "atom.xsl").exists()


def test_the_feed_link_people_click_shows_a_page_with_the_address_to_copy(client):
    response = client.get(reverse("feeds:decisions"), {"view": "page"})
    html = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert 'value="http://testserver/feeds/decisions/"' in html and "订阅地址" in html


def test_a_status_badge_is_coloured_and_keeps_its_text():
    html = Template('{% load huzhou %}<span class="badge {{ s|tone }}">有效</span>'
                    '<span class="badge {{ r|tone }}">废止</span>').render(Context({"s": "valid", "r": "repealed"}))
    assert '<span class="badge ok">有效</span>' in html and '<span class="badge bad">废止</span>' in html


@pytest.mark.parametrize("language, text", [("zh-hans", "2026年3月8日"), ("en", "8 March 2026")])
def test_a_date_reads_in_the_readers_language_and_never_wraps(language, text):
    with translation.override(language):
        html = Template("{{ d|day }}").render(Context({"d": dt.date(2026, 3, 8)}))
    assert html == f'<time class="date" datetime="2026-03-08">{text}</time>'


def test_no_template_writes_a_date_by_hand():
    """Dates go through |day, |moment or the localized |date, never a fixed "Y-m-d" pattern."""
    offenders = [str(path.relative_to(settings.BASE_DIR)) for path in (Path(settings.BASE_DIR) / "templates").rglob("*.html")
                 if '|date:"Y-m-d' in path.read_text(encoding="utf-8") or '|date:_("Y年n月j日")' in path.read_text(encoding="utf-8")]
    assert not offenders


def test_no_template_prints_a_date_field_bare():
    """A date field printed as it is ({{ t.due_on }}) wraps in a narrow column and carries no ISO date:
    tables and lists write it with |day."""
    bare = re.compile(r"\{\{ *[a-z_]+\.[a-z_]*_on *\}\}")
    offenders = [f"{path.relative_to(settings.BASE_DIR)}: {match}"
                 for path in (Path(settings.BASE_DIR) / "templates").rglob("*.html")
                 for match in bare.findall(path.read_text(encoding="utf-8"))]
    assert not offenders


def test_the_index_number_takes_the_configured_organisation_code(settings):
    from core.disclosure import format_index_number
    from tests import factories

    body = factories.department("hz-drc")
    assert format_index_number(body, 2026, 7) == "HZ-DRC/2026-00007"
    settings.HUZHOU_ORG_CODES = {"hz-drc": "11330500002609424P"}
    assert format_index_number(body, 2026, 7) == "11330500002609424P/2026-00007"


def test_the_topic_comes_from_the_configured_list_by_publishing_body(settings):
    from core.disclosure import topic_for
    from tests import factories

    drc, office = factories.department("hz-drc"), factories.department("hz-office")
    assert topic_for(drc) == "国民经济管理、国有资产监管" and topic_for(office) == "综合政务"
    settings.HUZHOU_TOPICS = ["综合", "经济"]
    settings.HUZHOU_BODY_TOPICS = {"hz-drc": "经济"}
    assert topic_for(drc) == "经济" and topic_for(office) == "综合"


def test_a_public_page_without_a_topic_of_its_own_shows_its_bodys(client):
    from tests.i18n.public_site import build_public_site

    with time_machine_travel():
        site = build_public_site()
        html = client.get(f"/library/{site.document_pk}/").content.decode()
    row = html.split("主题分类")[1].split("</tr>")[0]
    assert "<td>—</td>" not in row and "国民经济管理、国有资产监管" in row


def time_machine_travel():
    import time_machine

    from tests.i18n.public_site import TRAVEL_TO

    return time_machine.travel(TRAVEL_TO, tick=False)
