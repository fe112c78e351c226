"""The shared legality review queue: one task per review of one object (a decision, a
normative document or a major enforcement decision). Its table kept its name
(``core_reviewtask``) when the model moved out of ``core``."""
from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.exceptions import CalendarYearUnknown
from core.models import Department, TimeStampedModel
from core.workdays import add_working_days
from deadlines.services import policy_length


class ReviewTask(TimeStampedModel):
    """One legality review of one object (a decision now; normative documents
    and enforcement decisions later). The queue's columns live on the row."""

    class Status(models.TextChoices):
        OPEN = "open", _("待认领")
        CLAIMED = "claimed", _("审查中")
        DONE = "done", _("已办结")

    class Outcome(models.TextChoices):
        PASSED = "passed", _("通过")
        PASSED_WITH_CHANGES = "passed_with_changes", _("修改后通过")
        RETURNED = "returned", _("退回补充材料")
        FAILED = "failed", _("不予通过")

    class Kind(models.TextChoices):
        DECISION = "decision", _("重大行政决策")
        NORMATIVE_DOCUMENT = "normative_document", _("行政规范性文件")
        ENFORCEMENT = "enforcement", _("重大执法决定")
        CONTRACT = "contract", _("行政合同")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("类别"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("事项"), max_length=300)
    department = models.ForeignKey(Department, verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="+")
    review_unit = models.ForeignKey(
        Department, verbose_name=_("审查机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("报送单位所属决策机关的合法性审查机构：市司法局、区县司法局或司法所。"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报送人"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField(_("报送日期"))
    earliest_decision_on = models.DateField(_("最早结论日期"), null=True, blank=True)
    due_on = models.DateField(_("审查期限"), null=True, blank=True,
                              help_text=_("由期限规则计算；所需年度的节假日安排未载入时为空。"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审查人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="review_tasks",
    )
    submission_note = models.TextField(_("报送说明"), blank=True)
    checklist = models.JSONField(_("审查要点"), default=dict, blank=True)
    opinion = models.TextField(_("审查意见"), blank=True)
    early_reason = models.TextField(_("提前作出结论的理由"), blank=True,
                                    help_text=_("在最早结论日期之前作出结论（通过或不通过）时必填，监督人员可见。"))
    outcome = models.CharField(_("审查结论"), max_length=30, choices=Outcome.choices, blank=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("合法性审查任务")
        verbose_name_plural = _("合法性审查任务")
        db_table = "core_reviewtask"  # the table of the queue since it lived in core
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=~models.Q(status="done"),
                name="one_open_review_per_object",
            ),
            models.CheckConstraint(
                condition=models.Q(status="done", decided_at__isnull=False) | ~models.Q(status="done"),
                name="done_review_has_decided_at",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="review_queue_idx"),
            # the open queue soonest first, the concluded newest first (keyset pages)
            models.Index(fields=["due_on", "id"], name="review_open_due_idx", condition=~models.Q(status="done")),
            models.Index(fields=["-decided_at", "-id"], name="review_done_idx", condition=models.Q(status="done")),
            models.Index(fields=["assigned_to", "status"], name="review_assignee_idx"),
            models.Index(fields=["content_type", "object_id"], name="review_subject_idx"),
            models.Index(fields=["review_unit", "status", "due_on"], name="review_unit_queue_idx"),
        ]

    #: Audit rows written before the model moved here name it by its old label.
    audit_former_labels = ("core.reviewtask",)

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.DONE

    def clock_due_changed(self, clock) -> None:
        """The review clock's due date is the queue's 审查期限 (recomputed when the calendar changes)."""
        if self.earliest_decision_on is None:
            try:  # by convention the minimum review time's policy is "<kind>.legality_review_min"
                minimum = policy_length(f"{self.kind}.legality_review_min", self.submitted_on)
                self.earliest_decision_on = add_working_days(self.submitted_on, minimum)
            except CalendarYearUnknown:
                pass
        self.due_on = clock.due_on
        self.save(update_fields=["due_on", "earliest_decision_on", "updated_at"])
