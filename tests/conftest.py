import pytest

from tests import factories


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def staff_user(db):
    return factories.staff("hz-drc", username="staff_drc")


@pytest.fixture
def other_staff_user(db):
    return factories.staff("hz-nrp", username="staff_nrp")


@pytest.fixture
def reviewer_user(db):
    return factories.reviewer(username="reviewer1")


@pytest.fixture
def second_reviewer(db):
    return factories.reviewer(username="reviewer2")


@pytest.fixture
def office_user(db):
    return factories.office(username="office1")


@pytest.fixture
def supervisor_user(db):
    return factories.supervisor(username="supervisor1")
