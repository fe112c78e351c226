"""The annual decision catalog and the major administrative decision with its
statutory procedure records. Transition methods say what is legal and change
fields only; services do the rest."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from core.models import Attachment, Department, Role, TimeStampedModel
from core.workflow import ensure_prerequisites

from .workflow import (
    PUBLISH_CHECKS,
    PUBLISHED_STATES,
    READY_FOR_DISCUSSION_CHECKS,
    SUBMIT_FOR_REVIEW_CHECKS,
    DecisionCategory,
    DecisionStatus,
    Disclosure,
    EvaluationConclusion,
    EvaluationTrigger,
    MeetingOutcome,
    MeetingType,
    Precision,
    Procedure,
    SkipGround,
    check_catalog_link,
    check_has_content,
    parse_planned,
    planned_code,
    planned_label,
    procedures_display,
)

S = DecisionStatus
procedure_array = ArrayField(
    models.CharField(max_length=30, choices=Procedure.choices), default=list, blank=True,
    verbose_name=_("履行程序要求"),
)


# ================================================================== catalog
class CatalogQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Catalog.Status.PUBLISHED)

    def of(self, body: Department, year: int) -> Catalog:
        """The body's catalog of the year, created (collecting) when first needed."""
        catalog, _created = self.get_or_create(body=body, year=year, defaults={"decision_body": body.name})
        return catalog


class Catalog(TimeStampedModel):
    """The annual catalog of major administrative decisions (年度重大行政决策事项目录) of one
    decision body: each government at every level, and each department that adopts its own,
    compiles, gets consent for and publishes one a year (domain.md §9)."""

    class Status(models.TextChoices):
        COLLECTING = "collecting", _("征集中")
        COMPILED = "compiled", _("已汇总")
        PUBLISHED = "published", _("已公布")

    body = models.ForeignKey(Department, verbose_name=_("决策机关"), on_delete=models.PROTECT,
                             related_name="catalogs")
    year = models.PositiveSmallIntegerField(_("年度"))
    decision_body = models.CharField(_("决策机关名称"), max_length=100, default="湖州市人民政府")
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.COLLECTING)
    compiled_at = models.DateTimeField(_("汇总时间"), null=True, blank=True)
    party_consent_on = models.DateField(_("同级党委同意日期"), null=True, blank=True)
    party_consent_note = models.CharField(_("党委同意情况"), max_length=300, blank=True)
    document_number = models.CharField(_("发布文号"), max_length=60, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度决策事项目录")
        verbose_name_plural = _("年度决策事项目录")
        ordering = ["-year", "body_id"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="one_catalog_per_body_year"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False, party_consent_on__isnull=False),
                name="published_catalog_has_date_and_consent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.decision_body}{self.year}年度重大行政决策事项目录"

    @property
    def public_url(self) -> str:
        """The public page: the city government's at /catalog/<year>/, any other body's under its code."""
        from django.urls import reverse

        if self.body.kind == Department.Kind.CITY:
            return reverse("public:catalog", args=[self.year])
        return reverse("public:catalog-body", args=[self.year, self.body.code])

    @property
    def q1_deadline(self) -> dt.date:
        return dt.date(self.year, 3, 31)

    @property
    def published_on(self) -> dt.date | None:
        return timezone.localdate(self.published_at) if self.published_at else None

    @property
    def published_in_q1(self) -> bool | None:
        """True/False once published; None while not yet published."""
        if self.published_at is None:
            return None
        return self.published_on <= self.q1_deadline


class CatalogItemQuerySet(models.QuerySet):
    def public(self):
        """Items the public may see: in a published catalog, listed, and not withheld by law."""
        return self.filter(
            catalog__status=Catalog.Status.PUBLISHED,
            status__in=(CatalogItem.Status.INCLUDED, CatalogItem.Status.WITHDRAWN),
            disclosure=Disclosure.PUBLIC,
        )

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.public()
        if {Role.OFFICE, Role.SUPERVISOR, Role.ADMIN, Role.REVIEWER} & set(user.roles):
            return self.all()
        return self.filter(Q(lead_department_id=user.department_id) | Q(pk__in=self.public().values("pk")))


class CatalogItem(TimeStampedModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("已申报")
        INCLUDED = "included", _("列入目录")
        NOT_INCLUDED = "not_included", _("未列入")
        WITHDRAWN = "withdrawn", _("已调出")

    catalog = models.ForeignKey(Catalog, verbose_name=_("目录"), on_delete=models.PROTECT, related_name="items")
    number = models.PositiveSmallIntegerField(_("序号"), null=True, blank=True)
    name = models.CharField(_("事项名称"), max_length=200)
    content = models.TextField(_("主要内容"))
    decision_body = models.CharField(_("决策主体"), max_length=100, default="湖州市人民政府")
    lead_department = models.ForeignKey(
        Department, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="catalog_items"
    )
    legal_basis = models.TextField(_("法律政策依据"))
    required_procedures = procedure_array
    planned_completion = models.DateField(_("计划完成时间"),
                                          help_text=_("所填期间的最后一日（月、季度则为该月、该季度的最后一日），提醒按此日计算。"))
    planned_completion_precision = models.CharField(_("计划完成时间精度"), max_length=10, choices=Precision.choices,
                                                    default=Precision.DAY)
    category = models.CharField(_("事项类别"), max_length=30, choices=DecisionCategory.choices)
    disclosure = models.CharField(_("公开属性"), max_length=20, choices=Disclosure.choices, default=Disclosure.PUBLIC)
    withheld_reason = models.CharField(_("不予公开的法律依据"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申报人"), on_delete=models.PROTECT)

    objects = CatalogItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("目录事项")
        verbose_name_plural = _("目录事项")
        ordering = ["catalog", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["catalog", "number"], name="unique_item_number_per_catalog"),
            models.CheckConstraint(
                condition=Q(disclosure="public") | ~Q(withheld_reason=""), name="withheld_item_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["lead_department", "catalog"], name="item_department_idx")]

    def __str__(self) -> str:
        return self.name

    def get_required_procedures_display(self) -> str:
        return procedures_display(self.required_procedures)

    @property
    def planned_completion_label(self) -> str:
        """计划完成时间 as entered: 2025年12月, 2025年第四季度, 2025年12月15日."""
        return planned_label(self.planned_completion, self.planned_completion_precision)

    @property
    def planned_completion_code(self) -> str:
        return planned_code(self.planned_completion, self.planned_completion_precision)


class CatalogAdjustment(TimeStampedModel):
    """A change to a published catalog (D6): proposed by the 承办单位, published by the office."""

    class Kind(models.TextChoices):
        ADD = "add", _("增加事项")
        WITHDRAW = "withdraw", _("调出事项")
        CHANGE = "change", _("变更事项")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待审核")
        PUBLISHED = "published", _("已公布")
        REJECTED = "rejected", _("不予调整")

    catalog = models.ForeignKey(Catalog, verbose_name=_("目录"), on_delete=models.PROTECT, related_name="adjustments")
    item = models.ForeignKey(CatalogItem, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="adjustments")
    kind = models.CharField(_("调整类型"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("调整理由"))
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("目录调整")
        verbose_name_plural = _("目录调整")
        ordering = ["catalog", "published_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.item.name}"

    def change_rows(self) -> list[tuple[str, str, str]]:
        """What the adjustment changes, as a reader sees it: (the column's name, before, after);
        计划完成时间 at its precision (2025年第四季度), procedures by name."""
        rows = []
        for name, (before, after) in (self.changes or {}).items():
            rows.append((str(CatalogItem._meta.get_field(name).verbose_name),
                         _change_value(name, before), _change_value(name, after)))
        return rows


def _change_value(field: str, value) -> str:
    if value in (None, "", []):
        return "—"
    if field == "planned_completion":
        try:
            return planned_label(*parse_planned(value))
        except ValueError:
            return str(value)
    if field == "required_procedures":
        return procedures_display(value)
    return str(value)


# ================================================================== decision
class DecisionQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=PUBLISHED_STATES, disclosure=Disclosure.PUBLIC, published_at__isnull=False)

    def visible_to(self, user):
        """What a user may see; anything else is 'not found'."""
        if not user.is_authenticated:
            return self.public()
        roles = set(user.roles)
        if {Role.OFFICE, Role.SUPERVISOR} & roles:
            return self.all()
        condition = Q(department_id=user.department_id) if {Role.STAFF, Role.HEAD} & roles else Q(pk__in=[])
        if Role.REVIEWER in roles:
            from reviews.selectors import reviewable_object_ids

            condition |= Q(pk__in=reviewable_object_ids(user=user, model=Decision))
        return self.filter(condition)

    def with_list_columns(self):
        return self.select_related("department", "catalog_item")


class Decision(FSMModelMixin, TimeStampedModel):
    """A major administrative decision (重大行政决策) through its whole lifecycle."""

    title = models.CharField(_("决策事项名称"), max_length=200)
    summary = models.TextField(_("主要内容"))
    draft_text = models.TextField(_("决策草案"), blank=True)
    explanation = models.TextField(_("起草说明"), blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    department = models.ForeignKey(
        Department, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="decisions"
    )
    catalog_item = models.ForeignKey(
        CatalogItem, verbose_name=_("目录事项"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="decisions",
    )
    outside_catalog_reason = models.TextField(_("目录外决策理由"), blank=True)
    category = models.CharField(_("事项类别"), max_length=30, choices=DecisionCategory.choices)
    required_procedures = procedure_array
    disclosure = models.CharField(_("公开属性"), max_length=20, choices=Disclosure.choices, default=Disclosure.PUBLIC)
    withheld_reason = models.CharField(_("不予公开的法律依据"), max_length=300, blank=True)
    status = FSMField(_("状态"), choices=DecisionStatus.choices, default=S.DRAFTING, protected=True, db_index=True)
    legality_passed = models.BooleanField(_("合法性审查已通过"), default=False)
    legality_opinion = models.TextField(_("合法性审查意见"), blank=True)
    round = models.PositiveSmallIntegerField(_("程序轮次"), default=1)
    submitted_for_review_at = models.DateTimeField(_("提交审查时间"), null=True, blank=True)
    decided_on = models.DateField(_("决策日期"), null=True, blank=True)
    party_reported_on = models.DateField(_("向党委报告日期"), null=True, blank=True)
    party_report_note = models.CharField(_("党委报告情况"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    publication_channel = models.CharField(_("公布渠道"), max_length=200, blank=True)
    late_publication_reason = models.TextField(_("逾期公布的理由"), blank=True)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    completed_on = models.DateField(_("执行完毕日期"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    attachments = GenericRelation(Attachment)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("重大行政决策")
        verbose_name_plural = _("重大行政决策")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(catalog_item__isnull=False) | ~Q(outside_catalog_reason=""),
                name="decision_in_catalog_or_explained",
            ),
            models.CheckConstraint(
                condition=Q(disclosure="public") | ~Q(withheld_reason=""), name="withheld_decision_has_reason"
            ),
            models.CheckConstraint(
                # ARCHIVED is left out: a rejected decision is archived without ever being published.
                condition=~Q(status__in=[s.value for s in PUBLISHED_STATES if s != S.ARCHIVED])
                | Q(published_at__isnull=False),
                name="published_decision_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "status", "-updated_at"], name="decision_dept_status_idx"),
            # the staff list's order, with and without the department (keyset pages, decision record 0023)
            models.Index(fields=["-updated_at", "-id"], name="decision_updated_idx"),
            models.Index(fields=["department", "-updated_at", "-id"], name="decision_dept_updated_idx"),
            models.Index(fields=["year", "status"], name="decision_year_status_idx"),
            models.Index(fields=["-published_at", "-id"], name="decision_published_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status in PUBLISHED_STATES and self.disclosure == Disclosure.PUBLIC

    # -------------------------------------------------------------- transitions
    @transition(field=status, source=S.DRAFTING, target=S.CONSULTING)
    def start_procedures(self) -> None:
        ensure_prerequisites(self, (check_has_content, check_catalog_link))

    @transition(field=status, source=[S.DRAFTING, S.CONSULTING], target=S.LEGALITY_REVIEW)
    def submit_for_legality_review(self) -> None:
        ensure_prerequisites(self, SUBMIT_FOR_REVIEW_CHECKS)
        self.submitted_for_review_at = timezone.now()

    @transition(field=status, source=S.LEGALITY_REVIEW, target=S.CONSULTING)
    def return_for_supplement(self) -> None:
        self.legality_passed = False

    @transition(field=status, source=S.LEGALITY_REVIEW, target=S.READY_FOR_DISCUSSION)
    def pass_legality_review(self) -> None:
        self.legality_passed = True

    @transition(field=status, source=S.LEGALITY_REVIEW, target=S.LEGALITY_FAILED)
    def fail_legality_review(self) -> None:
        self.legality_passed = False

    @transition(field=status, source=[S.LEGALITY_FAILED], target=S.DRAFTING)
    def revise(self) -> None:
        self.legality_passed = False
        self.round += 1

    @transition(field=status, source=[S.READY_FOR_DISCUSSION, S.DEFERRED], target=S.DECIDED)
    def adopt(self, *, held_on: dt.date) -> None:
        ensure_prerequisites(self, READY_FOR_DISCUSSION_CHECKS)
        self.decided_on = held_on

    @transition(field=status, source=[S.READY_FOR_DISCUSSION, S.DEFERRED], target=S.DEFERRED)
    def defer(self) -> None:
        pass

    @transition(field=status, source=[S.READY_FOR_DISCUSSION, S.DEFERRED], target=S.REJECTED)
    def reject(self) -> None:
        pass

    @transition(field=status, source=[S.READY_FOR_DISCUSSION, S.DEFERRED], target=S.DRAFTING)
    def send_back_for_redraft(self) -> None:
        self.legality_passed = False
        self.round += 1

    @transition(field=status, source=S.DECIDED, target=S.EXECUTING)
    def publish(self) -> None:
        ensure_prerequisites(self, PUBLISH_CHECKS)
        self.published_at = timezone.now()

    @transition(field=status, source=S.EXECUTING, target=S.SUSPENDED)
    def suspend(self) -> None:
        pass

    @transition(field=status, source=S.SUSPENDED, target=S.EXECUTING)
    def resume(self) -> None:
        pass

    @transition(field=status, source=S.EXECUTING, target=S.POST_EVALUATION)
    def start_post_evaluation(self) -> None:
        pass

    @transition(field=status, source=S.POST_EVALUATION, target=S.EXECUTING)
    def continue_after_evaluation(self) -> None:
        pass

    @transition(field=status, source=[S.SUSPENDED, S.POST_EVALUATION], target=S.DRAFTING)
    def start_adjustment(self) -> None:
        """A major adjustment repeats the statutory procedures (713 Art. 37)."""
        self.legality_passed = False
        self.round += 1

    @transition(field=status, source=[S.SUSPENDED, S.POST_EVALUATION], target=S.TERMINATED)
    def terminate(self) -> None:
        pass

    @transition(field=status, source=S.EXECUTING, target=S.COMPLETED)
    def complete_execution(self, *, completed_on: dt.date) -> None:
        self.completed_on = completed_on

    @transition(field=status, source=[S.COMPLETED, S.TERMINATED, S.REJECTED], target=S.ARCHIVED)
    def archive(self) -> None:
        self.archived_at = timezone.now()


# ================================================================== procedure records
class ProcedureRecord(TimeStampedModel):
    """The evidence of one statutory procedure: a structured record plus files,
    or a skip with one of the legal grounds of D9."""

    class Status(models.TextChoices):
        COMPLETED = "completed", _("已完成")
        SKIPPED = "skipped", _("依法免予履行")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="procedure_records")
    kind = models.CharField(_("程序"), max_length=30, choices=Procedure.choices)
    round = models.PositiveSmallIntegerField(_("程序轮次"), default=1)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices)
    details = models.JSONField(_("记录内容"), default=dict, blank=True)
    skip_ground = models.CharField(_("免予履行依据"), max_length=30, choices=SkipGround.choices, blank=True)
    skip_reason = models.TextField(_("免予履行说明"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT)
    attachments = GenericRelation(Attachment)

    class Meta:
        verbose_name = _("程序记录")
        verbose_name_plural = _("程序记录")
        ordering = ["decision", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "kind", "round"], name="one_record_per_procedure_round"),
            models.CheckConstraint(
                condition=~Q(status="skipped") | (~Q(skip_ground="") & ~Q(skip_reason="")),
                name="skipped_procedure_has_ground",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision}：{self.get_kind_display()}"

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.COMPLETED, self.Status.SKIPPED)


# ================================================================== meetings and after
class MeetingRecord(TimeStampedModel):
    """Collective discussion (集体讨论, 713 Art. 30)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="meeting_records")
    meeting_type = models.CharField(_("会议类型"), max_length=20, choices=MeetingType.choices)
    session_name = models.CharField(_("会议名称"), max_length=100)
    held_on = models.DateField(_("会议日期"))
    attendees = models.TextField(_("出席人员"))
    observers = models.TextField(_("列席人员（公众、专家、媒体、利害关系人代表）"), blank=True)
    member_views = models.TextField(_("组成人员意见"))
    head_name = models.CharField(_("行政首长"), max_length=50)
    outcome = models.CharField(_("行政首长决定"), max_length=20, choices=MeetingOutcome.choices)
    dissent = models.TextField(_("不同意见"), blank=True)
    differs_from_majority_reason = models.TextField(_("与多数人意见不一致的理由"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("集体讨论记录")
        verbose_name_plural = _("集体讨论记录")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.session_name}（{self.held_on}）"


class ExecutionReport(TimeStampedModel):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="execution_reports")
    reported_on = models.DateField(_("报告日期"))
    progress = models.TextField(_("执行进展"))
    problems = models.TextField(_("存在问题"), blank=True)
    targets_missed = models.BooleanField(_("未达到预期目标"), default=False,
                                         help_text=_("勾选后提示决策机关研究是否启动决策后评估。"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报告人"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("执行情况报告")
        verbose_name_plural = _("执行情况报告")
        ordering = ["-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{self.decision} {self.reported_on}"


class PostEvaluation(TimeStampedModel):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="post_evaluations")
    trigger = models.CharField(_("评估启动情形"), max_length=30, choices=EvaluationTrigger.choices)
    evaluator = models.CharField(_("评估机构"), max_length=100)
    started_on = models.DateField(_("启动日期"))
    findings = models.TextField(_("评估结论"), blank=True)
    conclusion = models.CharField(_("处理建议"), max_length=20, choices=EvaluationConclusion.choices, blank=True)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("启动人"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("决策后评估")
        verbose_name_plural = _("决策后评估")
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return f"{self.decision}：{self.get_trigger_display()}"


