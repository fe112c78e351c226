"""The whole lifecycle once through the services, with the numbers it produces."""
import datetime as dt

import pytest
import time_machine

from deadlines.models import LegalClock
from normative_docs import filing as filing_services
from normative_docs import services
from normative_docs.models import FilingRecord, NormativeDocument
from normative_docs.workflow import DocumentStatus as N
from tests import factories

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-05-11 10:00 +0800", tick=False)
def test_a_document_goes_from_proposal_through_filing_review(staff_user):
    head = factories.normative_head("hz-drc")
    document = factories.normative_document_in_state(N.PUBLISHED, staff_user=staff_user, head_user=head)

    assert (document.number, document.registration_number) == ("湖发改规〔2026〕1号", "ZJHZ13-2026-0001")
    assert (document.published_on, document.effective_on) == (dt.date(2026, 5, 11), dt.date(2026, 6, 10))
    assert document.valid_until == dt.date(2031, 6, 9)
    assert document.public_status() == "not_yet_effective"
    filing_clock = LegalClock.objects.get(rule="normative.filing", object_id=document.pk)
    assert filing_clock.due_on == dt.date(2026, 6, 10)

    filing = filing_services.filing_submit(actor=head, document_id=document.pk, report="备案报告。",
                                           files=[factories.pdf_file()])
    reviewer = factories.filing_reviewer()
    filing_services.filing_check(actor=reviewer, filing_id=filing.pk, result="accept")
    filing_services.filing_review(actor=reviewer, filing_id=filing.pk, outcome="passed", opinion="符合规定。",
                                  checklist=factories.normative_checklist())

    assert FilingRecord.objects.get(pk=filing.pk).status == "passed"
    second = factories.normative_document_in_state(N.PUBLISHED, staff_user=staff_user, head_user=head,
                                                   title="湖州市数据要素市场培育暂行办法")
    assert second.number == "湖发改规〔2026〕2号"
    assert second.valid_until == dt.date(2028, 6, 9)


def test_a_document_expires_by_itself_after_its_last_day(staff_user):
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        document = factories.normative_document_in_state(N.PUBLISHED, staff_user=staff_user,
                                                         title="湖州市临时管理暂行办法")
    with time_machine.travel("2028-06-10 08:00 +0800", tick=False):
        assert NormativeDocument.objects.get(pk=document.pk).public_status() == "expired"
        assert services.documents_expire_due() == 1
    assert NormativeDocument.objects.get(pk=document.pk).status == N.EXPIRED
