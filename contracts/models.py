"""Administrative contracts (行政机关合同): the contract with its counterparty, amount, term and
key clauses; its legality review in the shared queue before signing; milestones, changes,
disputes and termination; filing (备案); each body's register and its annual clean-up.
Transition methods say what is legal and change fields only; services do the rest."""
from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from core.models import Attachment, Department, Role, TimeStampedModel

from .workflow import (
    REVIEW_REQUIRED_TYPES,
    ContractStatus,
    ContractType,
    DisputeResolution,
    RecordKind,
)

S = ContractStatus


class ContractQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The contracting unit sees its own; a body's head the body's; the review unit what was
        sent to it; the city office and supervisors everything. Nothing is public."""
        if not user.is_authenticated:
            return self.none()
        roles = set(user.roles)
        if {Role.OFFICE, Role.SUPERVISOR} & roles:
            return self.all()
        condition = Q(pk__in=[])
        if {Role.STAFF, Role.HEAD} & roles and user.department_id:
            condition |= Q(department_id=user.department_id) | Q(body_id=user.department_id)
        if Role.REVIEWER in roles:
            from reviews.selectors import reviewable_object_ids

            condition |= Q(pk__in=reviewable_object_ids(user=user, model=Contract))
        return self.filter(condition)


class Contract(FSMModelMixin, TimeStampedModel):
    title = models.CharField(_("合同名称"), max_length=200)
    number = models.CharField(_("合同编号"), max_length=60, blank=True)
    body = models.ForeignKey(Department, verbose_name=_("合同主体（决策机关）"), on_delete=models.PROTECT,
                             related_name="contracts")
    department = models.ForeignKey(Department, verbose_name=_("承办单位"), on_delete=models.PROTECT,
                                   related_name="+")
    counterparty = models.CharField(_("合同相对方"), max_length=200)
    contract_type = models.CharField(_("合同类型"), max_length=30, choices=ContractType.choices)
    amount = models.DecimalField(_("合同金额（元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    term_start = models.DateField(_("履行期限起"))
    term_end = models.DateField(_("履行期限止"))
    key_clauses = models.TextField(_("主要条款"))
    dispute_resolution = models.CharField(_("争议解决方式"), max_length=20, choices=DisputeResolution.choices)
    dispute_forum = models.CharField(_("管辖法院或仲裁机构"), max_length=200)
    foreign_related = models.BooleanField(_("涉外合同"), default=False)
    confidentiality = models.BooleanField(_("约定保密条款"), default=False)
    status = FSMField(_("状态"), choices=ContractStatus.choices, default=S.DRAFTING, protected=True, db_index=True)
    legality_passed = models.BooleanField(_("合法性审查已通过"), default=False)
    legality_opinion = models.TextField(_("合法性审查意见"), blank=True)
    submitted_for_review_at = models.DateTimeField(_("送审时间"), null=True, blank=True)
    signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    signed_by = models.CharField(_("签订人"), max_length=50, blank=True)
    filing_due_on = models.DateField(_("备案期限"), null=True, blank=True)
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    end_reason = models.TextField(_("解除理由"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("起草人"), on_delete=models.PROTECT,
                                   related_name="+")
    version = models.PositiveIntegerField(_("版本"), default=1)
    attachments = GenericRelation(Attachment)

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政合同")
        verbose_name_plural = _("行政合同")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["body", "status"], name="contract_body_status_idx"),
            models.Index(fields=["department", "-updated_at"], name="contract_department_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(term_end__gte=models.F("term_start")), name="contract_term_in_order"),
            models.CheckConstraint(condition=~Q(status__in=["performing", "terminated", "completed"])
                                   | Q(signed_on__isnull=False), name="signed_contract_has_date"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def review_required(self) -> bool:
        """37号: contracts on state assets, fiscal funds, natural and public resources, 招商引资,
        合作开发, 拆迁改造, 政府投融资, 政府借款 are reviewed before signing."""
        return self.contract_type in REVIEW_REQUIRED_TYPES

    @property
    def filed_on_time(self) -> bool | None:
        if self.filing_due_on is None:
            return None
        if self.filed_on is None:
            return False if timezone.localdate() > self.filing_due_on else None
        return self.filed_on <= self.filing_due_on

    # -------------------------------------------------------------- transitions
    @transition(field=status, source=S.DRAFTING, target=S.LEGALITY_REVIEW)
    def submit_for_legality_review(self) -> None:
        self.submitted_for_review_at = timezone.now()

    @transition(field=status, source=S.LEGALITY_REVIEW, target=S.REVIEWED)
    def pass_legality_review(self) -> None:
        self.legality_passed = True

    @transition(field=status, source=S.LEGALITY_REVIEW, target=S.DRAFTING)
    def return_for_supplement(self) -> None:
        self.legality_passed = False

    @transition(field=status, source=S.LEGALITY_REVIEW, target=S.REVIEW_FAILED)
    def fail_legality_review(self) -> None:
        self.legality_passed = False

    @transition(field=status, source=S.REVIEW_FAILED, target=S.DRAFTING)
    def revise(self) -> None:
        pass

    @transition(field=status, source=[S.DRAFTING, S.REVIEWED], target=S.PERFORMING)
    def sign(self, *, signed_on, signed_by: str) -> None:
        self.signed_on, self.signed_by = signed_on, signed_by

    @transition(field=status, source=S.PERFORMING, target=S.TERMINATED)
    def terminate(self, *, ended_on, reason_text: str) -> None:
        self.ended_on, self.end_reason = ended_on, reason_text

    @transition(field=status, source=S.PERFORMING, target=S.COMPLETED)
    def complete(self, *, ended_on) -> None:
        self.ended_on = ended_on


class ContractMilestone(TimeStampedModel):
    """A performance milestone (履行节点): reminded before it falls due."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("履行节点"), max_length=200)
    due_on = models.DateField(_("节点日期"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("履行节点")
        verbose_name_plural = _("履行节点")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.contract}：{self.title}"


class ContractRecord(TimeStampedModel):
    """A change, a dispute or a performance note on a signed contract."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(_("类型"), max_length=20, choices=RecordKind.choices)
    occurred_on = models.DateField(_("日期"))
    summary = models.TextField(_("情况"))
    resolution = models.TextField(_("处理结果"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("合同履行记录")
        verbose_name_plural = _("合同履行记录")
        ordering = ["occurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.contract}：{self.get_kind_display()}"


class ContractCleanup(TimeStampedModel):
    """A body's annual clean-up of its contract register (合同清理)."""

    body = models.ForeignKey(Department, verbose_name=_("决策机关"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    done_on = models.DateField(_("清理日期"))
    contracts_checked = models.PositiveIntegerField(_("清理合同数"))
    findings = models.TextField(_("清理情况"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("合同年度清理")
        verbose_name_plural = _("合同年度清理")
        ordering = ["-year", "body_id"]
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="one_contract_cleanup_per_body_year")]

    def __str__(self) -> str:
        return f"{self.body}{self.year}"
