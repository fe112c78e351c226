"""The Content-Security-Policy in a real browser (issue 13, point 5): a script injected inline into a
page (as a stored XSS that escaped escaping would be) does not run, while the portal's own scripts,
served as files, do."""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INJECTED = b"<script>window.__injected = true;</script><div id=planted onclick=\"window.__clicked = true\">x</div>"


def test_an_injected_inline_script_and_handler_do_not_run(page, live_server):
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)

    def inject(route):
        response = route.fetch()
        body = response.body().replace(b"</main>", INJECTED + b"</main>", 1)
        route.fulfill(response=response, body=body)

    page.route(f"{live_server.url}/library/", inject)
    page.goto(f"{live_server.url}/library/")
    page.locator("#planted").click()
    assert page.evaluate("window.__injected === undefined && window.__clicked === undefined")
    assert violations, "the browser reported no policy violation"


def test_the_portals_own_script_runs_under_the_policy(page, live_server):
    from decisions.workflow import DecisionStatus
    from tests import factories

    decision = factories.decision_in_state(DecisionStatus.EXECUTING)
    page.add_init_script("window.print = () => { window.__printed = true; };")
    page.goto(f"{live_server.url}/public/decisions/{decision.pk}/?print=1")
    page.locator("[data-print]").click()
    assert page.evaluate("window.__printed === true")
