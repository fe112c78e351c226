"""Administrative normative documents: the document through drafting, review,
registration, publication, filing review, validity and clean-up. Transition
methods say what is legal and change fields only; services do the rest."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from core.models import Attachment, Department, Role, TimeStampedModel
from core.workdays import local_today
from core.workflow import ensure_prerequisites

from .workflow import (
    PUBLISHED_STATES,
    SUBMIT_FOR_REVIEW_CHECKS,
    CleanupResult,
    CorrectionOutcome,
    DocumentStatus,
    DocumentType,
    FilingStatus,
    Origin,
    Procedure,
    PublicStatus,
    RelationKind,
    check_has_body,
    check_legality_passed,
    normalize_number,
)

S = DocumentStatus


class NumberingScheme(models.Model):
    """The unified number format of one issuer (统一编号), e.g. ``湖政规〔{year}〕{seq}号``."""

    issuer = models.OneToOneField(Department, verbose_name=_("制定机关"), on_delete=models.PROTECT,
                                  related_name="numbering_scheme")
    pattern = models.CharField(_("文号格式"), max_length=60,
                               help_text=_("用 {year} 表示年度，{seq} 表示序号，如：湖政规〔{year}〕{seq}号"))
    registration_prefix = models.CharField(_("统一登记号前缀"), max_length=30,
                                           help_text=_("如 ZJEC01；统一登记号为 前缀-年度-四位序号"))

    class Meta:
        verbose_name = _("文号格式")
        verbose_name_plural = _("文号格式")

    def __str__(self) -> str:
        return f"{self.issuer}：{self.pattern}"

    def format(self, year: int, seq: int) -> tuple[str, str]:
        return (self.pattern.replace("{year}", str(year)).replace("{seq}", str(seq)),
                f"{self.registration_prefix}-{year}-{seq:04d}")


class NumberSequence(models.Model):
    """The last number given by one issuer in one year. Locked and advanced inside
    the registering transaction, so numbers are gap-free and never reused."""

    scheme = models.ForeignKey(NumberingScheme, on_delete=models.PROTECT, related_name="sequences")
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用至"), default=0)

    class Meta:
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")
        constraints = [models.UniqueConstraint(fields=["scheme", "year"], name="one_sequence_per_scheme_year")]


class NormativeDocumentQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=PUBLISHED_STATES, published_on__isnull=False)

    def visible_to(self, user):
        """Staff see their own unit's documents (as drafter or issuer); reviewers those
        assigned to them or filed with their body; the office and supervisors all."""
        if not user.is_authenticated:
            return self.public()
        roles = set(user.roles)
        if {Role.OFFICE, Role.SUPERVISOR} & roles:
            return self.all()
        condition = Q(pk__in=[])
        if {Role.STAFF, Role.HEAD} & roles:
            condition |= Q(drafting_department_id=user.department_id) | Q(issuer_id=user.department_id)
        if Role.REVIEWER in roles:
            from reviews.selectors import reviewable_object_ids

            condition |= Q(pk__in=reviewable_object_ids(user=user, model=NormativeDocument))
            condition |= Q(filing_body_id=user.department_id, status__in=PUBLISHED_STATES)
        return self.filter(condition)

    def with_list_columns(self):
        return self.select_related("issuer", "drafting_department")


class NormativeDocument(FSMModelMixin, TimeStampedModel):
    """One version of a normative document. Re-publication makes a new version that
    replaces the old (``DocumentRelation``)."""

    title = models.CharField(_("文件名称"), max_length=200)
    doc_type = models.CharField(_("文种"), max_length=20, choices=DocumentType.choices, default=DocumentType.MEASURES)
    issuer = models.ForeignKey(Department, verbose_name=_("制定机关"), on_delete=models.PROTECT,
                               related_name="issued_documents")
    drafting_department = models.ForeignKey(Department, verbose_name=_("起草单位"), on_delete=models.PROTECT,
                                            related_name="drafted_documents")
    filing_body = models.ForeignKey(Department, verbose_name=_("备案审查机关"), on_delete=models.PROTECT,
                                    related_name="filed_documents")
    reason = models.TextField(_("制定理由（动议）"))
    body = models.TextField(_("正文"), blank=True)
    explanation = models.TextField(_("起草说明"), blank=True)
    interpretation = models.TextField(_("政策解读"), blank=True)
    business_related = models.BooleanField(_("涉及市场主体经济活动"), default=False,
                                           help_text=_("是：征求意见不少于30日，听取企业和行业协会商会意见，并进行公平竞争审查。"))
    major_rights_impact = models.BooleanField(_("对公民、法人和其他组织权利义务有重大影响"), default=True)
    required_procedures = models.JSONField(_("须履行的程序"), default=list, blank=True)
    status = FSMField(_("状态"), choices=DocumentStatus.choices, default=S.PROPOSED, protected=True, db_index=True)
    legality_passed = models.BooleanField(_("合法性审核已通过"), default=False)
    legality_opinion = models.TextField(_("合法性审核意见"), blank=True)
    round = models.PositiveSmallIntegerField(_("程序轮次"), default=1)
    deliberated_on = models.DateField(_("审议日期"), null=True, blank=True)
    deliberation_meeting = models.CharField(_("审议会议"), max_length=100, blank=True)
    number = models.CharField(_("文号"), max_length=60, blank=True)
    number_normalized = models.CharField(_("文号（规范化）"), max_length=60, blank=True, db_index=True)
    registration_number = models.CharField(_("统一登记号"), max_length=40, blank=True)
    registered_on = models.DateField(_("登记日期"), null=True, blank=True)
    signed_on = models.DateField(_("成文日期"), null=True, blank=True)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    publication_channel = models.CharField(_("公布载体"), max_length=200, blank=True)
    effective_on = models.DateField(_("施行日期"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    no_validity_reason = models.CharField(_("不设有效期的理由"), max_length=300, blank=True)
    ended_on = models.DateField(_("失效/废止日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT,
                                   related_name="+")
    version = models.PositiveIntegerField(_("版本"), default=1)
    origin = models.CharField(_("来源"), max_length=20, choices=Origin.choices, default=Origin.PORTAL)
    attachments = GenericRelation(Attachment)

    objects = NormativeDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政规范性文件")
        verbose_name_plural = _("行政规范性文件")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["registration_number"], condition=~Q(registration_number=""),
                                    name="registration_number_unique"),
            models.UniqueConstraint(fields=["number_normalized"], condition=~Q(number_normalized=""),
                                    name="document_number_unique"),
            models.CheckConstraint(
                condition=~Q(status__in=[s.value for s in PUBLISHED_STATES]) | (
                    Q(published_on__isnull=False) & ~Q(number="") & Q(effective_on__isnull=False)),
                name="published_document_has_number_and_dates",
            ),
        ]
        indexes = [
            models.Index(fields=["drafting_department", "status", "-updated_at"], name="normdoc_drafter_idx"),
            models.Index(fields=["-updated_at", "-id"], name="normdoc_updated_idx"),
            models.Index(fields=["drafting_department", "-updated_at", "-id"], name="normdoc_drafter_updated_idx"),
            models.Index(fields=["issuer", "status"], name="normdoc_issuer_idx"),
            # 我的工作's branch of the documents the unit issues, read newest first (normative_work_for)
            models.Index(fields=["issuer", "-updated_at", "-id"], name="normdoc_issuer_updated_idx"),
            models.Index(fields=["-published_on", "-id"], name="normdoc_published_idx",
                         condition=Q(published_on__isnull=False)),
            models.Index(fields=["valid_until"], name="normdoc_valid_until_idx", condition=Q(status="published")),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）" if self.number else self.title

    @property
    def is_historical(self) -> bool:
        return self.origin == Origin.HISTORICAL

    def save(self, *args, **kwargs):
        self.number_normalized = normalize_number(self.number)
        super().save(*args, **kwargs)

    # -------------------------------------------------------------- derived
    def public_status(self, today: dt.date | None = None) -> str | None:
        """有效 / 尚未生效 / 失效 / 废止 / 已修改 — derived from the dates, so a document
        shows 失效 from the day after its last day even before the nightly job runs."""
        if self.status not in PUBLISHED_STATES:
            return None
        today = today or local_today()
        if self.status == S.REPEALED:
            return PublicStatus.REPEALED
        if self.status == S.AMENDED:
            return PublicStatus.AMENDED
        if self.status == S.EXPIRED or (self.valid_until and today > self.valid_until):
            return PublicStatus.EXPIRED
        if self.effective_on and today < self.effective_on:
            return PublicStatus.NOT_YET
        return PublicStatus.VALID

    def get_public_status_display(self) -> str:
        status = self.public_status()
        return PublicStatus(status).label if status else ""

    # -------------------------------------------------------------- transitions
    @transition(field=status, source=S.PROPOSED, target=S.DRAFTING)
    def start_drafting(self) -> None:
        pass

    @transition(field=status, source=S.DRAFTING, target=S.CONSULTING)
    def start_procedures(self) -> None:
        ensure_prerequisites(self, (check_has_body,))

    @transition(field=status, source=[S.DRAFTING, S.CONSULTING], target=S.LEGALITY_REVIEW)
    def submit_for_legality_review(self) -> None:
        ensure_prerequisites(self, SUBMIT_FOR_REVIEW_CHECKS)

    @transition(field=status, source=S.LEGALITY_REVIEW, target=S.CONSULTING)
    def return_for_supplement(self) -> None:
        self.legality_passed = False

    @transition(field=status, source=S.LEGALITY_REVIEW, target=S.READY_FOR_DELIBERATION)
    def pass_legality_review(self) -> None:
        self.legality_passed = True

    @transition(field=status, source=S.LEGALITY_REVIEW, target=S.LEGALITY_FAILED)
    def fail_legality_review(self) -> None:
        self.legality_passed = False

    @transition(field=status, source=S.LEGALITY_FAILED, target=S.DRAFTING)
    def revise(self) -> None:
        self.round += 1

    @transition(field=status, source=S.READY_FOR_DELIBERATION, target=S.DELIBERATED)
    def adopt(self, *, held_on: dt.date, meeting: str) -> None:
        ensure_prerequisites(self, (check_legality_passed,))
        self.deliberated_on, self.deliberation_meeting = held_on, meeting

    @transition(field=status, source=S.READY_FOR_DELIBERATION, target=S.NOT_ADOPTED)
    def reject(self) -> None:
        pass

    @transition(field=status, source=S.READY_FOR_DELIBERATION, target=S.DRAFTING)
    def send_back_for_redraft(self) -> None:
        self.legality_passed = False
        self.round += 1

    @transition(field=status, source=S.DELIBERATED, target=S.REGISTERED)
    def register(self, *, number: str, registration_number: str, on: dt.date) -> None:
        self.number, self.registration_number, self.registered_on = number, registration_number, on

    @transition(field=status, source=S.REGISTERED, target=S.PUBLISHED)
    def publish(self, *, published_on: dt.date, effective_on: dt.date, valid_until: dt.date | None) -> None:
        self.published_on, self.effective_on, self.valid_until = published_on, effective_on, valid_until

    @transition(field=status, source=S.PUBLISHED, target=S.AMENDED)
    def mark_amended(self, *, on: dt.date) -> None:
        self.ended_on = on

    @transition(field=status, source=[S.PUBLISHED, S.AMENDED], target=S.REPEALED)
    def repeal(self, *, on: dt.date) -> None:
        self.ended_on = on

    @transition(field=status, source=S.PUBLISHED, target=S.EXPIRED)
    def expire(self, *, on: dt.date) -> None:
        self.ended_on = on


class DraftingProcedure(TimeStampedModel):
    """The evidence of one drafting procedure (调研、评估、论证、征求意见、公平竞争审查)."""

    document = models.ForeignKey(NormativeDocument, on_delete=models.CASCADE, related_name="procedures")
    kind = models.CharField(_("程序"), max_length=30, choices=Procedure.choices)
    round = models.PositiveSmallIntegerField(_("程序轮次"), default=1)
    details = models.JSONField(_("记录内容"), default=dict, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT)
    attachments = GenericRelation(Attachment)

    class Meta:
        verbose_name = _("起草程序记录")
        verbose_name_plural = _("起草程序记录")
        ordering = ["document", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["document", "kind", "round"], name="one_drafting_record_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.document}：{self.get_kind_display()}"


class DocumentRelation(models.Model):
    """立改废: ``newer`` replaces, amends or repeals ``older``; applied when ``newer`` is published."""

    newer = models.ForeignKey(NormativeDocument, on_delete=models.CASCADE, related_name="changes_made")
    older = models.ForeignKey(NormativeDocument, on_delete=models.PROTECT, related_name="changed_by")
    kind = models.CharField(_("关系"), max_length=20, choices=RelationKind.choices)

    class Meta:
        verbose_name = _("立改废关系")
        verbose_name_plural = _("立改废关系")
        constraints = [
            models.UniqueConstraint(fields=["newer", "older"], name="one_relation_per_pair"),
            models.CheckConstraint(condition=~Q(newer=models.F("older")), name="relation_not_to_itself"),
        ]


class FilingRecord(TimeStampedModel):
    """The filing (备案) of a published document with its filing body, its formal
    check and review, and the correction when one is requested (有件必备、有备必审、有错必纠)."""

    document = models.ForeignKey(NormativeDocument, on_delete=models.PROTECT, related_name="filings")
    filing_body = models.ForeignKey(Department, verbose_name=_("备案审查机关"), on_delete=models.PROTECT,
                                    related_name="+")
    status = models.CharField(_("状态"), max_length=30, choices=FilingStatus.choices, default=FilingStatus.SUBMITTED)
    submitted_on = models.DateField(_("报送日期"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报送人"), on_delete=models.PROTECT,
                                     related_name="+")
    filing_report = models.TextField(_("备案报告"))
    on_time = models.BooleanField(_("按时报送"), default=True)
    late_reason = models.TextField(_("逾期报送的理由"), blank=True)
    checked_on = models.DateField(_("形式审查日期"), null=True, blank=True)
    check_note = models.TextField(_("形式审查意见"), blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审查人"), on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+")
    checklist = models.JSONField(_("审查要点"), default=dict, blank=True)
    review_opinion = models.TextField(_("审查意见"), blank=True)
    reviewed_on = models.DateField(_("审查日期"), null=True, blank=True)
    correction_outcome = models.CharField(_("纠正结果"), max_length=20, choices=CorrectionOutcome.choices, blank=True)
    correction_report = models.TextField(_("纠正情况报告"), blank=True)
    corrected_on = models.DateField(_("纠正报告日期"), null=True, blank=True)
    attachments = GenericRelation(Attachment)

    class Meta:
        verbose_name = _("备案审查")
        verbose_name_plural = _("备案审查")
        ordering = ["-submitted_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["document"], condition=~Q(status="returned"),
                                    name="one_live_filing_per_document"),
        ]
        indexes = [models.Index(fields=["filing_body", "status"], name="filing_body_status_idx")]

    def __str__(self) -> str:
        return f"{self.document}：{self.get_status_display()}"


class CleanupRound(TimeStampedModel):
    """One issuer's 2-yearly clean-up (清理): every document still in force gets a result."""

    issuer = models.ForeignKey(Department, verbose_name=_("制定机关"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("清理名称"), max_length=200)
    started_on = models.DateField(_("启动日期"))
    published_on = models.DateField(_("结果公布日期"), null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("文件清理")
        verbose_name_plural = _("文件清理")
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return self.title


class CleanupEntry(models.Model):
    round = models.ForeignKey(CleanupRound, on_delete=models.CASCADE, related_name="entries")
    document = models.ForeignKey(NormativeDocument, on_delete=models.PROTECT, related_name="cleanup_entries")
    result = models.CharField(_("清理结果"), max_length=20, choices=CleanupResult.choices, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("清理结果")
        verbose_name_plural = _("清理结果")
        constraints = [models.UniqueConstraint(fields=["round", "document"], name="one_entry_per_document")]


class SuggestionSequence(models.Model):
    """The last 审查建议 number given in one year (审建〔year〕N号); see ``core.sequences``."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    last = models.PositiveIntegerField(_("已用至"), default=0)

    class Meta:
        verbose_name = _("审查建议编号序列")
        verbose_name_plural = _("审查建议编号序列")


class ReviewSuggestion(TimeStampedModel):
    """A written review suggestion (审查建议) sent by anyone about a published document."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("已收到")
        ANSWERED = "answered", _("已答复")

    number = models.CharField(_("编号"), max_length=40, unique=True)
    tracking_code = models.CharField(_("查询码"), max_length=40)
    document = models.ForeignKey(NormativeDocument, on_delete=models.PROTECT, related_name="suggestions")
    name = models.CharField(_("姓名或名称"), max_length=100, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    content = models.TextField(_("审查建议"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    answer = models.TextField(_("答复"), blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")

    class Meta:
        verbose_name = _("审查建议")
        verbose_name_plural = _("审查建议")
        ordering = ["-created_at"]
