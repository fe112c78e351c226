"""The language switch in the footer keeps the visitor on the page they were reading."""
import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["/library/?q=%E7%A7%91%E6%8A%80&page=1", "/catalog/", "/open-data/"])
def test_switching_language_returns_to_the_same_page_in_that_language(client, page):
    response = client.post("/i18n/setlang/", {"language": "en", "next": page})
    assert response.status_code == 302
    assert response["Location"] == page
    assert client.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get(page).content.decode()


def test_the_footer_switch_posts_the_current_page_as_next(client):
    html = client.get("/library/?q=%E7%A7%91%E6%8A%80").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert 'name="next" type="hidden" value="/library/?q=%E7%A7%91%E6%8A%80"' in html


def test_a_next_to_another_site_is_not_followed(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_an_unknown_language_is_ignored(client):
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert '<html lang="zh-CN">' in client.get("/").content.decode()
