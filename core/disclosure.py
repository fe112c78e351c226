"""政府信息公开目录信息: the disclosure metadata a government portal shows above each
published item — 索引号, 发布机构, 成文日期, 发布日期, 文件编号, 公开方式, 时效性.

* One ``DisclosureRecord`` per published public item: the annual catalog, a decision
  published 主动公开, a normative document, an enforcement notice. Items withheld by law
  (依法不予公开) are not in the 主动公开 catalogue and get no record.
* The 索引号 is ``<organisation code>/<year>-<serial>``: the publishing body's 统一社会信用代码 (or
  组织机构代码) from ``HUZHOU_ORG_CODES``, else its ``Department.code`` upper-cased, the year of
  publication and a five-digit serial,
  gap-free per body and year: the sequence row is locked and advanced inside the
  publishing transaction (the pattern of ``normative_docs.NumberSequence``).
* Registration is idempotent: re-publishing an item keeps its 索引号. The record stores
  only what is fixed at publication; a normative document's 时效性 is derived when shown.
* The publication services call ``register_published(subject, actor=...)`` inside their
  transaction; ``manage.py backfill_disclosure_records`` registers items published before.
  What each kind publishes is registered by its lifecycle (``register_disclosure_kind``).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Model, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .audit import record_event
from .models import Department, DisclosureRecord, DisclosureSequence
from .sequences import next_in_sequence
from .workdays import local_today

SERIAL_DIGITS = 5


# ================================================================== 索引号
def body_code(body: Department) -> str:
    """The body's part of the 索引号: its organisation code (统一社会信用代码 or 组织机构代码) as
    configured in ``HUZHOU_ORG_CODES`` (body code → organisation code), else its portal code."""
    from django.conf import settings

    return (getattr(settings, "HUZHOU_ORG_CODES", {}) or {}).get(body.code) or body.code.upper()


#: 主题分类: the topics of the 国务院公文主题词表 used by government portals (``HUZHOU_TOPICS`` replaces the
#: list); a body's items take its topic from ``HUZHOU_BODY_TOPICS`` (body code → topic), else the first.
DEFAULT_TOPICS = [
    gettext_noop("综合政务"),
    gettext_noop("国民经济管理、国有资产监管"),
    gettext_noop("财政、金融、审计"),
    gettext_noop("国土资源、能源"),
    gettext_noop("农业、林业、水利"),
    gettext_noop("工业、交通"),
    gettext_noop("商贸、海关、旅游"),
    gettext_noop("市场监管、安全生产监管"),
    gettext_noop("城乡建设、环境保护"),
    gettext_noop("科技、教育"),
    gettext_noop("文化、广电、新闻出版"),
    gettext_noop("卫生、体育"),
    gettext_noop("劳动、人事、监察"),
    gettext_noop("公安、安全、司法"),
    gettext_noop("民政、扶贫、救灾"),
    gettext_noop("其他"),
]
DEFAULT_BODY_TOPICS = {
    "hz-drc": "国民经济管理、国有资产监管", "hz-nrp": "国土资源、能源", "hz-justice": "公安、安全、司法",
    "hz-amr": "市场监管、安全生产监管", "hz-eco": "城乡建设、环境保护", "hz-housing": "城乡建设、环境保护",
    "hz-transport": "工业、交通", "hz-water": "农业、林业、水利", "hz-education": "科技、教育",
    "hz-health": "卫生、体育", "hz-civil": "民政、扶贫、救灾",
}


def topics() -> list[str]:
    from django.conf import settings

    return list(getattr(settings, "HUZHOU_TOPICS", None) or DEFAULT_TOPICS)


def topic_for(body: Department | None) -> str:
    """The 主题分类 of what ``body`` publishes: its configured topic when it is on the list, else the first."""
    from django.conf import settings

    configured = {**DEFAULT_BODY_TOPICS, **(getattr(settings, "HUZHOU_BODY_TOPICS", None) or {})}
    topic = configured.get(body.code, "") if body is not None else ""
    listed = topics()
    return topic if topic in listed else listed[0]


def format_index_number(body: Department, year: int, serial: int) -> str:
    return f"{body_code(body)}/{year}-{serial:0{SERIAL_DIGITS}d}"


def disclosure_register(*, subject, body: Department, written_on: dt.date | None = None, document_number: str = "",
                        published_on: dt.date | None = None, topic: str = "", actor=None) -> DisclosureRecord:
    """Give ``subject`` its 索引号 and metadata, or return the record it already has.
    Must run inside the publishing transaction (with the subject's row locked)."""
    if not connection.in_atomic_block:
        raise RuntimeError("disclosure_register must run inside the publishing transaction")
    content_type = ContentType.objects.get_for_model(subject)
    existing = DisclosureRecord.objects.filter(content_type=content_type, object_id=subject.pk).first()
    if existing is not None:
        return existing
    published_on = published_on or local_today()
    serial = next_in_sequence(DisclosureSequence, body=body, year=published_on.year)
    record = DisclosureRecord.objects.create(
        content_type=content_type, object_id=subject.pk, body=body, year=published_on.year, serial=serial,
        index_number=format_index_number(body, published_on.year, serial), written_on=written_on,
        published_on=published_on, document_number=document_number or "", topic=topic or topic_for(body))
    record_event(actor=actor, event_type="disclosure", obj=subject, action="disclosure_register",
                 action_label=_("编制政府信息公开索引号"), details={"index_number": record.index_number})
    return record


# ================================================================== what each kind of item publishes
@dataclass(frozen=True)
class DisclosureKind:
    """How one kind of public item enters the 主动公开 catalogue; each lifecycle registers its own
    kinds with ``register_disclosure_kind`` (core knows none of them).

    * ``describe(subject)``: the keywords of ``disclosure_register`` other than subject and actor
      (``body``, ``written_on``, ``published_on``, ``document_number``, ``topic``), or ``None`` for an
      item withheld by law;
    * ``published()``: every published item of the kind, for the backfill;
    * ``published_key(subject)``: its place in the order of publication (for the backfill);
    * ``validity(subject)``: its 时效性 when shown ("" for kinds that have none);
    * ``public_until(subject)``: its 公开时限 (``None`` for kinds that have none)."""

    describe: Callable[[Any], dict | None]
    published: Callable[[], QuerySet]
    published_key: Callable[[Any], tuple]
    validity: Callable[[Any], str] = lambda subject: ""
    public_until: Callable[[Any], dt.date | None] = lambda subject: None


#: Model label -> how its items are disclosed, in the order the lifecycles registered them.
DISCLOSURE_KINDS: dict[str, DisclosureKind] = {}


def register_disclosure_kind(model: type[Model], kind: DisclosureKind) -> None:
    DISCLOSURE_KINDS[model._meta.label] = kind


def body_named(name: str) -> Department:
    """The body a catalog or decision names as its 决策机关; the city government when the name
    is not a department of ours."""
    body = Department.objects.filter(name=name).first() if name else None
    return body or Department.objects.filter(kind=Department.Kind.CITY).order_by("sort_order", "id").first()


def local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def register_published(subject, *, actor=None) -> DisclosureRecord | None:
    """Register a just-published item of any public kind; ``None`` for what is withheld by law."""
    label = subject._meta.label
    if label not in DISCLOSURE_KINDS:
        raise ValueError(f"{label} has no disclosure metadata")
    described = DISCLOSURE_KINDS[label].describe(subject)
    if described is None:
        return None
    return disclosure_register(subject=subject, actor=actor, **described)


def _published_without_record():
    """Every published public item that has no record yet, oldest publication first."""
    def missing(queryset):
        content_type = ContentType.objects.get_for_model(queryset.model)
        return queryset.exclude(pk__in=DisclosureRecord.objects.filter(content_type=content_type)
                                .values("object_id"))

    items = []
    for kind in DISCLOSURE_KINDS.values():
        for subject in missing(kind.published()):
            items.append((kind.published_key(subject), subject))
    items.sort(key=lambda pair: pair[0])
    return [item for _key, item in items]


def disclosure_backfill(*, actor=None) -> int:
    """Register the items published before disclosure records existed, in order of
    publication, each in its own transaction. Running it again registers nothing."""
    count = 0
    for subject in _published_without_record():
        with transaction.atomic():
            type(subject).objects.select_for_update().filter(pk=subject.pk).first()
            if register_published(subject, actor=actor) is not None:
                count += 1
    return count


# ================================================================== reading
def index_number_of(model) -> Subquery:
    """The 索引号 of each row of ``model``, to annotate a queryset with (no query per row)."""
    return Subquery(_records_of(model).filter(object_id=OuterRef("pk")).values("index_number")[:1])


def _records_of(model):
    """Records of one model, by a join on the content type (no separate content-type query)."""
    return DisclosureRecord.objects.filter(content_type__app_label=model._meta.app_label,
                                           content_type__model=model._meta.model_name)


def disclosure_for(subject) -> DisclosureRecord | None:
    """The record of one item (one query), for its detail page."""
    record = _records_of(type(subject)).select_related("body").filter(object_id=subject.pk).first()
    if record is not None and not record.topic:  # registered before topics were filled
        record.topic = topic_for(record.body)
    return record


def validity_of(subject) -> str:
    """时效性, derived when shown (a normative document's 有效 / 失效 / 废止 from its states
    and dates); blank for the kinds that have none."""
    kind = DISCLOSURE_KINDS.get(subject._meta.label)
    return kind.validity(subject) if kind else ""


def public_until(subject) -> dt.date | None:
    """公开时限: the last day an item stays on the site, fixed at publication (an enforcement
    notice's); ``None`` for the kinds that have none."""
    kind = DISCLOSURE_KINDS.get(subject._meta.label)
    return kind.public_until(subject) if kind else None


def disclosure_context(request, subject) -> dict:
    """What a public detail page adds for the metadata table and the printable view
    (``?print=1``: the same page in a layout without navigation)."""
    printable = request.GET.get("print") == "1"
    return {
        "disclosure": disclosure_for(subject),
        "disclosure_validity": validity_of(subject),
        "disclosure_until": public_until(subject),
        "layout": "public/print_base.html" if printable else "base.html",
        "printable": printable,
    }
