"""The API documentation works on a machine without internet: Swagger UI (/api/docs/) and ReDoc
(/api/redoc/) load every file from our own server (drf-spectacular-sidecar); a request to any other
host is refused by the test, and the pages still show the portal's endpoints, on a desktop and a phone."""
import pytest
from playwright.sync_api import expect

from tests.browser.screens import SIZES, new_page, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def offline(page, live_server) -> list[str]:
    """Refuse every request to another host; return the list of refused addresses."""
    refused = []

    def route(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    return refused


@pytest.mark.parametrize("size", list(SIZES))
def test_swagger_ui_shows_the_endpoints_without_internet(browser, live_server, size, tmp_path):
    page = new_page(browser, size)
    refused = offline(page, live_server)
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=60000)
    expect(page.get_by_text("/api/v1/public/search/").first).to_be_attached()
    shoot(page, tmp_path, f"api-docs-swagger-{size}")
    assert refused == []
    page.context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_redoc_shows_the_endpoints_without_internet(browser, live_server, size, tmp_path):
    page = new_page(browser, size)
    refused = offline(page, live_server)
    page.goto(f"{live_server.url}/api/redoc/")
    expect(page.locator("redoc h1").first).to_be_visible(timeout=60000)  # a large schema, a busy machine
    expect(page.get_by_text("/api/v1/public/search/").first).to_be_attached()
    shoot(page, tmp_path, f"api-docs-redoc-{size}")
    assert refused == []
    page.context.close()
