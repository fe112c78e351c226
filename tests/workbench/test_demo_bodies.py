"""The demo at every level (issue 16): district, township and department catalogs, a township
contract waiting in the 织里司法所's queue, advisers for some bodies but not all, and the new
demo accounts; loading twice changes nothing."""
import datetime as dt

import pytest
from django.core.management import call_command

from contracts.models import Contract
from core.models import User
from decisions.models import Catalog
from reviews.selectors import review_queue_for
from workbench.coverage import coverage

pytestmark = pytest.mark.django_db


def test_the_demo_accounts_sit_at_every_level(demo):
    departments = dict(User.objects.filter(username__in=["demo_township", "demo_sifasuo", "demo_district_reviewer"])
                       .values_list("username", "department__name"))
    assert departments == {"demo_township": "吴兴区织里镇人民政府", "demo_sifasuo": "吴兴区司法局织里司法所",
                           "demo_district_reviewer": "吴兴区司法局"}


def test_the_district_township_and_a_department_publish_their_own_2026_catalogs(demo):
    published = {c.body.code: c.published_in_q1 for c in Catalog.objects.published().filter(year=2026)
                 .select_related("body")}
    assert published["wuxing"] is True and published["wuxing-zhili"] is True
    assert published["wuxing-edu"] is False  # published after 31 March: the coverage shows it


def test_a_township_contract_waits_in_the_sifasuo_queue_only(demo):
    contract = Contract.objects.get(body__code="wuxing-zhili")
    assert contract.status == "legality_review"
    assert [t.object_id for t in review_queue_for(user=User.objects.get(username="demo_sifasuo"))
            if t.kind == "contract"] == [contract.pk]
    assert not [t for t in review_queue_for(user=User.objects.get(username="demo_district_reviewer"))
                if t.kind == "contract"]


def test_the_coverage_shows_gaps(demo):
    rows = {row.body.code: row for row in coverage(year=2026, today=dt.date(2026, 12, 6))}
    assert rows["wuxing-zhili"].cells["advisers"].full and not rows["wuxing-balidian"].cells["advisers"].full
    assert rows["wuxing-zhili"].cells["meetings"].rate == 50
    assert rows["wuxing"].cells["public_lawyers"].full and rows["wuxing-zhili"].below_full


def test_loading_the_demo_again_changes_nothing(demo):
    before = (User.objects.count(), Catalog.objects.count(), Contract.objects.count())
    call_command("load_demo_data", verbosity=0)
    assert (User.objects.count(), Catalog.objects.count(), Contract.objects.count()) == before
