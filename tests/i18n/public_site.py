"""A small public site for page-level tests (translation, accessibility, downloads): one item
of each public kind, plus a withheld catalog item that must never show. Run under
``time_machine.travel(TODAY)``: the lifecycles are carried through the real services."""
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from decisions.models import Catalog
from decisions.workflow import DecisionStatus, Disclosure
from enforcement.models import Case, PublicNotice
from normative_docs.workflow import DocumentStatus
from tests import factories
from tests.factories import CatalogFactory, CatalogItemFactory

TODAY = dt.date(2026, 5, 11)
TRAVEL_TO = "2026-05-11 10:00 +0800"
YEAR = 2026
PUBLISHED_ITEM = "城市更新三年行动计划"
WITHDRAWN_ITEM = "已调出的事项"
WITHHELD_ITEM = "依法不予公开的事项"
DECISION_TITLE = "湖州市公共停车设施收费调整方案"
DOCUMENT_TITLE = "湖州市促进科技创新若干措施"
NOTICE_TITLE = "行政处罚决定信息公开（第1号）"


@dataclass
class PublicSite:
    decision_pk: int
    document_pk: int
    notice_pk: int
    body_pk: int
    consultation_pk: int

    def urls(self) -> dict[str, str]:
        """The public pages by a readable name; every one answers 200 to an anonymous visitor."""
        return {
            "home": "/",
            "catalog index": "/catalog/",
            "catalog year": f"/catalog/{YEAR}/",
            "decision list": "/public/decisions/",
            "decision detail": f"/public/decisions/{self.decision_pk}/",
            "library list": "/library/",
            "library detail": f"/library/{self.document_pk}/",
            "suggestion lookup": "/library/suggestions/",
            "enforcement bodies": "/public/enforcement/bodies/",
            "enforcement body": f"/public/enforcement/bodies/{self.body_pk}/",
            "enforcement notices": "/public/enforcement/notices/",
            "enforcement notice": f"/public/enforcement/notices/{self.notice_pk}/",
            "enforcement reports": "/public/enforcement-reports/",
            "guidance cases": "/public/enforcement-reports/guidance/",
            "search results": "/search/?q=%E6%B9%96%E5%B7%9E",
            "open data": "/open-data/",
            "login": "/accounts/login/",
            "consultation": f"/consultations/{self.consultation_pk}/",
        }


#: Pages other helpers are adding; a test skips one only while its route does not exist.
NEW_PAGES = {
    "consultations": "/consultations/",
    "subscribe": "/subscribe/",
    "decisions in execution": "/public/decisions/execution/",
}


def build_public_site() -> PublicSite:
    catalog = CatalogFactory(year=YEAR, status=Catalog.Status.PUBLISHED, party_consent_on=dt.date(YEAR, 3, 10),
                             document_number=f"湖政发〔{YEAR}〕5号",
                             published_at=timezone.make_aware(dt.datetime(YEAR, 3, 20, 9, 0)))
    CatalogItemFactory(catalog=catalog, name=PUBLISHED_ITEM)
    CatalogItemFactory(catalog=catalog, name=WITHDRAWN_ITEM, status="withdrawn")
    CatalogItemFactory(catalog=catalog, name=WITHHELD_ITEM, disclosure=Disclosure.WITHHELD,
                       withheld_reason="涉及国家秘密")
    decision = factories.decision_in_state(DecisionStatus.EXECUTING, title=DECISION_TITLE)
    document = factories.normative_document_in_state(DocumentStatus.PUBLISHED, title=DOCUMENT_TITLE)
    body = factories.department("hz-amr")
    case = Case.objects.create(body=body, title="销售超过保质期食品案", clue_source="日常检查", clue_received_on=TODAY,
                               key_area="food_drug", kind="specialised", party_type="person", party_name="李四",
                               party_id_number=factories.valid_resident_id(1), created_by=factories.staff("hz-amr"))
    notice = PublicNotice.objects.create(
        case=case, title=NOTICE_TITLE, body_name=body.name, decision_number=f"湖市监罚〔{YEAR}〕1号",
        party_masked="李*", id_masked="3****************1", content="行政相对人：李*\n处理结果：罚款1000元",
        published_on=TODAY, takedown_on=TODAY + dt.timedelta(days=365))
    consultation = open_consultation()
    from search import indexing
    indexing.index_all()
    return PublicSite(decision_pk=decision.pk, document_pk=document.pk, notice_pk=notice.pk, body_pk=body.pk,
                      consultation_pk=consultation.pk)


def open_consultation():
    """A draft decision open for comment (its page carries the public comment form)."""
    from consultations.models import Consultation
    from decisions import services as decision_services

    decision = factories.decision_in_state(DecisionStatus.CONSULTING, title="湖州市生活垃圾分类管理办法（草案）")
    decision_services.decision_open_public_comment(
        actor=decision.created_by, decision_id=decision.pk, opened_on=TODAY,
        closes_on=TODAY + dt.timedelta(days=30), channel="湖州市人民政府网站“意见征集”栏目")
    return Consultation.objects.get(object_id=decision.pk, content_type__model="decision")
