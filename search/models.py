"""One row per public item, whatever its lifecycle: the search index (全站检索)."""
from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core.models import Department


class Kind(models.TextChoices):
    CATALOG_ITEM = "catalog_item", _("决策事项目录")
    DECISION = "decision", _("重大行政决策")
    NORMATIVE = "normative", _("规范性文件")
    NOTICE = "enforcement_notice", _("执法决定公开")
    BENCHMARK = "benchmark", _("性能测试")


#: The kinds the public search covers (benchmark rows never show).
PUBLIC_KINDS = (Kind.CATALOG_ITEM, Kind.DECISION, Kind.NORMATIVE, Kind.NOTICE)
#: Every other kind (tests/search pin that the two cover ``Kind``).
NON_PUBLIC_KINDS = (Kind.BENCHMARK,)


class SearchEntry(models.Model):
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    object_id = models.PositiveIntegerField(_("对象编号"))
    title = models.CharField(_("标题"), max_length=300)
    number = models.CharField(_("文号"), max_length=60, blank=True)
    number_normalized = models.CharField(_("文号（规范化）"), max_length=60, blank=True)
    department = models.ForeignKey(Department, verbose_name=_("单位"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    department_name = models.CharField(_("单位名称"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=30, blank=True)
    status_label = models.CharField(_("状态名称"), max_length=30, blank=True)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    url = models.CharField(_("链接"), max_length=300)
    #: A normative document issued before the portal and registered by the filing body (历史文件登记).
    historical = models.BooleanField(_("历史文件登记"), default=False, db_default=False)
    #: The last day the item is public (an enforcement notice's take-down day); the search
    #: shows the entry up to that day and the repair deletes it afterwards.
    visible_until = models.DateField(_("公开截止日期"), null=True, blank=True)
    body_excerpt = models.TextField(_("正文摘录"), blank=True)
    #: Title, 文号 and the whole text in lower case: a query of three or more Han characters
    #: is checked against it, so only adjacent characters match (see ``search.text``).
    content = models.TextField(_("检索文本"), blank=True)
    document = SearchVectorField(_("检索向量"))
    indexed_at = models.DateTimeField(_("索引时间"), auto_now=True)

    class Meta:
        verbose_name = _("检索条目")
        verbose_name_plural = _("检索条目")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique_object")]
        indexes = [
            GinIndex(fields=["document"], name="search_entry_document_gin"),
            models.Index(fields=["number_normalized"], name="search_entry_number_idx",
                         condition=~models.Q(number_normalized="")),
            # a 文号 query without its serial (湖政规〔2024〕); one without its issuer (〔2024〕3号)
            # reads search_entry_number_end_idx on reverse(number_normalized) (migration 0006)
            models.Index(fields=["number_normalized"], opclasses=["text_pattern_ops"],
                         name="search_entry_number_start_idx", condition=~models.Q(number_normalized="")),
            models.Index(fields=["kind", "year"], name="search_entry_kind_year_idx"),
            # publication-day ranges (a digest's day); the search's windows are in the GIN index (0017)
            models.Index(F("published_on").desc(nulls_last=True), F("id").desc(), name="search_entry_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.title
