"""Administrative enforcement: bodies' public information (事前公开), officers and their
certificates, cases with their full-process record, decisions, publicity (事后公开),
annual reports and guidance cases. Transition methods change fields only; services do
the rest."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from core.models import Attachment, Department, Role, TimeStampedModel
from core.pii_crypto import EncryptedTextField, blind_index

from .workflow import (
    CaseStatus,
    EnforcementKind,
    EnforcementWay,
    KeyArea,
    NoPenaltyGround,
    Outcome,
    PartyType,
    RecordKind,
)

S = CaseStatus


class BodyProfile(models.Model):
    """What an enforcement body publishes before enforcement (事前公开), and its legal-review thresholds."""

    body = models.OneToOneField(Department, verbose_name=_("执法主体"), on_delete=models.PROTECT,
                                related_name="enforcement_profile")
    procedures = models.TextField(_("执法程序"), blank=True)
    remedies = models.TextField(_("救济渠道"), blank=True)
    inspection_list = models.TextField(_("随机抽查事项清单"), blank=True)
    review_threshold_person = models.DecimalField(_("法制审核金额标准（自然人）"), max_digits=12, decimal_places=2,
                                                  default=Decimal("10000"))
    review_threshold_organisation = models.DecimalField(_("法制审核金额标准（法人或其他组织）"), max_digits=12,
                                                        decimal_places=2, default=Decimal("100000"))

    class Meta:
        verbose_name = _("执法主体公示信息")
        verbose_name_plural = _("执法主体公示信息")

    def __str__(self) -> str:
        return str(self.body)


class Power(models.Model):
    """An enforcement power (执法职权) of a body with its legal basis."""

    body = models.ForeignKey(Department, verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="powers")
    name = models.CharField(_("职权名称"), max_length=200)
    category = models.CharField(_("职权类别"), max_length=40, default="行政处罚")
    legal_basis = models.TextField(_("法律依据"))

    class Meta:
        verbose_name = _("执法职权")
        verbose_name_plural = _("执法职权")
        ordering = ["body", "id"]

    def __str__(self) -> str:
        return self.name


class AudioVideoRule(models.Model):
    """A record step that must be recorded on audio-video (全过程音像记录), editable by administrators."""

    kind = models.CharField(_("环节"), max_length=20, choices=RecordKind.choices, unique=True)
    source = models.CharField(_("依据"), max_length=300)

    class Meta:
        verbose_name = _("音像记录要求")
        verbose_name_plural = _("音像记录要求")

    def __str__(self) -> str:
        return self.get_kind_display()


class OfficerCertificate(models.Model):
    """An enforcement certificate (执法证) of a person of a body; only valid ones may be assigned."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("执法人员"), on_delete=models.PROTECT,
                             related_name="enforcement_certificates")
    body = models.ForeignKey(Department, verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("执法证号"), max_length=40, unique=True)
    valid_from = models.DateField(_("有效期自"))
    valid_until = models.DateField(_("有效期至"))
    legal_qualification = models.BooleanField(_("具有法律职业资格"), default=False,
                                              help_text=_("初次从事法制审核的人员须具有法律职业资格（行政处罚法第五十八条）。"))

    class Meta:
        verbose_name = _("执法证件")
        verbose_name_plural = _("执法证件")
        ordering = ["body", "number"]

    def __str__(self) -> str:
        return f"{self.user}（{self.number}）"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_until


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A body's officers see its cases; legal reviewers those assigned to them; the
        supervisors (司法局) and the office all (read-only)."""
        if not user.is_authenticated:
            return self.none()
        roles = set(user.roles)
        if {Role.SUPERVISOR, Role.OFFICE} & roles:
            return self.all()
        condition = Q(pk__in=[])
        if {Role.STAFF, Role.HEAD} & roles:
            condition |= Q(body_id=user.department_id)
        if Role.REVIEWER in roles:
            from reviews.selectors import reviewable_object_ids

            condition |= Q(pk__in=reviewable_object_ids(user=user, model=Case))
        return self.filter(condition)


class Case(FSMModelMixin, TimeStampedModel):
    """One enforcement case (行政处罚案件) from the clue to the archive."""

    body = models.ForeignKey(Department, verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="cases")
    number = models.CharField(_("案号"), max_length=60, blank=True)
    title = models.CharField(_("案由"), max_length=200)
    clue_source = models.CharField(_("线索来源"), max_length=100)
    clue_received_on = models.DateField(_("线索登记日期"))
    key_area = models.CharField(_("重点领域"), max_length=30, choices=KeyArea.choices)
    kind = models.CharField(_("执法类型"), max_length=20, choices=EnforcementKind.choices)
    ways = models.JSONField(_("执法方式"), default=list, blank=True, help_text=str(EnforcementWay.labels))
    party_type = models.CharField(_("当事人类型"), max_length=20, choices=PartyType.choices)
    party_name = models.CharField(_("当事人"), max_length=200)
    #: encrypted at rest (core.pii_crypto); never searched: the same party is found by ``party_key``
    party_id_number = EncryptedTextField(_("身份证号或统一社会信用代码"))
    #: keyed blind index of the ID number (HMAC), for the same-party checks (首违不罚, supervision)
    party_key = models.CharField(_("当事人索引"), max_length=64, blank=True, editable=False)
    party_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    party_address = models.CharField(_("住所或地址"), max_length=200, blank=True)
    party_aliases = models.TextField(_("当事人曾用名或别名"), blank=True,
                                     help_text=_("每行一个；公开时与姓名一样脱敏。"))
    facts = models.TextField(_("违法事实"), blank=True)
    complex_case = models.BooleanField(_("疑难复杂案件"), default=False)
    public_interest = models.BooleanField(_("涉及重大公共利益"), default=False)
    status = FSMField(_("状态"), choices=CaseStatus.choices, default=S.CLUE, protected=True, db_index=True)
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("承办执法人员"), blank=True,
                                      related_name="enforcement_cases")
    opened_on = models.DateField(_("立案日期"), null=True, blank=True)
    not_opened_reason = models.TextField(_("不予立案理由"), blank=True)
    # the notice of the intended decision (告知)
    proposed_penalty_types = models.JSONField(_("拟处罚种类"), default=list, blank=True)
    proposed_fine = models.DecimalField(_("拟罚款金额（元）"), max_digits=12, decimal_places=2, default=Decimal("0"))
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    hearing_requested_on = models.DateField(_("申请听证日期"), null=True, blank=True)
    hearing_on = models.DateField(_("听证日期"), null=True, blank=True)
    hearing_notice_on = models.DateField(_("听证通知日期"), null=True, blank=True)
    hearing_chair = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("听证主持人"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    hearing_record = models.TextField(_("听证笔录摘要"), blank=True)
    legal_review_required = models.BooleanField(_("须法制审核"), default=False)
    legal_review_grounds = models.JSONField(_("法制审核理由"), default=list, blank=True)
    legal_review_passed = models.BooleanField(_("法制审核已通过"), default=False)
    legal_review_opinion = models.TextField(_("法制审核意见"), blank=True)
    # the decision
    outcome = models.CharField(_("处理结果"), max_length=20, choices=Outcome.choices, blank=True)
    penalty_types = models.JSONField(_("处罚种类"), default=list, blank=True)
    fine_amount = models.DecimalField(_("罚没金额（元）"), max_digits=12, decimal_places=2, default=Decimal("0"))
    no_penalty_ground = models.CharField(_("不予处罚理由"), max_length=30, choices=NoPenaltyGround.choices, blank=True)
    decision_number = models.CharField(_("决定书文号"), max_length=60, blank=True)
    decision_basis = models.TextField(_("处罚依据"), blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    no_penalty_facts = models.JSONField(
        _("不予处罚的事实和证据"), default=dict, blank=True,
        help_text=_("首违不罚：危害后果轻微、及时改正的说明，证据（全过程记录）和初次违法的核查结果。"))
    late_decision_reason = models.TextField(_("超过办理期限作出决定的理由"), blank=True)
    served_on = models.DateField(_("送达日期"), null=True, blank=True)
    late_service_reason = models.TextField(_("逾期送达的理由"), blank=True)
    paid_on = models.DateField(_("缴纳日期"), null=True, blank=True)
    paid_amount = models.DecimalField(_("实缴金额（元）"), max_digits=12, decimal_places=2, default=Decimal("0"))
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                   related_name="+")
    version = models.PositiveIntegerField(_("版本"), default=1)
    attachments = GenericRelation(Attachment)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("执法案件")
        verbose_name_plural = _("执法案件")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["body", "status", "-updated_at"], name="case_body_status_idx"),
            models.Index(fields=["-updated_at", "-id"], name="case_updated_idx"),
            models.Index(fields=["body", "-updated_at", "-id"], name="case_body_updated_idx"),
            models.Index(fields=["party_key", "opened_on"], name="case_party_key_idx"),
            models.Index(fields=["decided_on"], name="case_decided_idx", condition=Q(decided_on__isnull=False)),
        ]

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if "party_id_number" not in self.get_deferred_fields() and (
                update_fields is None or "party_id_number" in update_fields):
            self.party_key = blind_index(self.party_id_number) if self.party_id_number else ""
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "party_key"}
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.number or self.title}"

    # -------------------------------------------------------------- transitions
    @transition(field=status, source=S.CLUE, target=S.INVESTIGATING)
    def open(self, *, on: dt.date, number: str) -> None:
        self.opened_on, self.number = on, number

    @transition(field=status, source=S.CLUE, target=S.NOT_OPENED)
    def decline(self, *, reason_text: str) -> None:
        self.not_opened_reason = reason_text

    @transition(field=status, source=S.INVESTIGATING, target=S.NOTIFIED)
    def notify(self, *, on: dt.date) -> None:
        self.notified_on = on

    @transition(field=status, source=S.NOTIFIED, target=S.HEARING_REQUESTED)
    def request_hearing(self, *, on: dt.date) -> None:
        self.hearing_requested_on = on

    @transition(field=status, source=S.HEARING_REQUESTED, target=S.HEARING_HELD)
    def hold_hearing(self, *, record: str) -> None:
        self.hearing_record = record

    @transition(field=status, source=[S.NOTIFIED, S.HEARING_HELD, S.INVESTIGATING], target=S.LEGAL_REVIEW)
    def submit_for_legal_review(self) -> None:
        pass

    @transition(field=status, source=S.LEGAL_REVIEW, target=S.READY_TO_DECIDE)
    def pass_legal_review(self) -> None:
        self.legal_review_passed = True

    @transition(field=status, source=S.LEGAL_REVIEW, target=S.INVESTIGATING)
    def return_from_legal_review(self) -> None:
        self.legal_review_passed = False

    @transition(field=status, source=[S.NOTIFIED, S.HEARING_HELD, S.READY_TO_DECIDE, S.INVESTIGATING],
                target=S.DECIDED)
    def decide(self, *, on: dt.date) -> None:
        self.decided_on = on

    @transition(field=status, source=S.DECIDED, target=S.SERVED)
    def serve(self, *, on: dt.date) -> None:
        self.served_on = on

    @transition(field=status, source=[S.SERVED, S.DECIDED], target=S.CLOSED)
    def close(self, *, on: dt.date) -> None:
        self.closed_on = on

    @transition(field=status, source=S.CLOSED, target=S.ARCHIVED)
    def archive(self) -> None:
        pass

    @transition(field=status, source=[S.DECIDED, S.SERVED, S.CLOSED], target=S.REVOKED)
    def revoke(self, *, on: dt.date) -> None:
        self.revoked_on = on


class CaseNumberSequence(models.Model):
    """The last 立案 number given by one body in one year (…罚立〔year〕N号); see ``core.sequences``."""

    body = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用至"), default=0)

    class Meta:
        verbose_name = _("案号序列")
        verbose_name_plural = _("案号序列")
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="one_case_number_sequence_per_body_year")]


class RecordEntry(TimeStampedModel):
    """One step of the full-process record (全过程记录): time, place, officers, files."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(_("环节"), max_length=20, choices=RecordKind.choices)
    happened_at = models.DateTimeField(_("时间"))
    place = models.CharField(_("地点"), max_length=200)
    summary = models.TextField(_("情况记录"))
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("执法人员"), related_name="+")
    has_audio_video = models.BooleanField(_("已音像记录"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attachments = GenericRelation(Attachment)

    class Meta:
        verbose_name = _("全过程记录")
        verbose_name_plural = _("全过程记录")
        ordering = ["case", "happened_at", "id"]


class Recusal(models.Model):
    """A request for an officer's recusal (回避), decided by the body's head."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recusals")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("申请理由"))
    granted = models.BooleanField(_("准予回避"), null=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("回避申请")
        verbose_name_plural = _("回避申请")


class PublicNotice(TimeStampedModel):
    """The published information of a decision (事后公开), masked; taken down when its period ends."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="notice")
    title = models.CharField(_("标题"), max_length=300)
    body_name = models.CharField(_("执法主体"), max_length=100)
    decision_number = models.CharField(_("决定书文号"), max_length=60)
    party_masked = models.CharField(_("当事人（已脱敏）"), max_length=200)
    id_masked = models.CharField(_("证件号（已脱敏）"), max_length=40)
    content = models.TextField(_("公开内容（已脱敏）"))
    published_on = models.DateField(_("公开日期"))
    on_time = models.BooleanField(_("按时公开"), default=True)
    late_reason = models.TextField(_("逾期公开的理由"), blank=True)
    takedown_on = models.DateField(_("撤下日期"))
    withdrawn_on = models.DateField(_("撤回日期"), null=True, blank=True)
    withdrawal_statement = models.TextField(_("撤回说明"), blank=True)
    late_withdrawal_reason = models.TextField(_("逾期撤回的理由"), blank=True)

    class Meta:
        verbose_name = _("行政执法决定公开")
        verbose_name_plural = _("行政执法决定公开")
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["-published_on", "-id"], name="notice_public_idx",
                                condition=Q(withdrawn_on__isnull=True))]

    def __str__(self) -> str:
        return self.title


class AnnualReport(TimeStampedModel):
    """The annual statistics report (统计年报) of one year; the data is frozen when the office publishes it."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    data = models.JSONField(_("统计数据"), default=dict)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")

    class Meta:
        verbose_name = _("行政执法统计年报")
        verbose_name_plural = _("行政执法统计年报")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年行政执法统计年报"


class GuidanceCase(TimeStampedModel):
    """A closed case proposed, reviewed and published as a guidance case (案例指导)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("已推荐")
        PUBLISHED = "published", _("已发布")
        REJECTED = "rejected", _("未采用")

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="guidance")
    title = models.CharField(_("标题"), max_length=200)
    key_points = models.TextField(_("裁判要点"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    published_on = models.DateField(_("发布日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("指导案例")
        verbose_name_plural = _("指导案例")
        ordering = ["-published_on", "-id"]
