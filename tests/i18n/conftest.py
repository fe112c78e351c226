import pytest
import time_machine

from tests.i18n.public_site import TRAVEL_TO, build_public_site


@pytest.fixture
def public_site(db):
    with time_machine.travel(TRAVEL_TO, tick=False):
        site = build_public_site()
        yield site
