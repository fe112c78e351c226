"""Shared machinery: organisations and people, the audit trail, the working-day
calendar, evidence attachments and disclosure numbering."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _

#: field -> {stored value: label} of the fields whose choices are a fixed list (``ChoiceLabelsMixin``)
_CHOICE_LABELS: dict = {}


class ChoiceLabelsMixin:
    """``get_<field>_display()`` from a dictionary of the field's choices built once per process: Django's builds
    it at every call (~50 µs for a status of twenty states, and a list shows one per row). Labels stay lazy, so
    each call answers in the active language; choices given as a callable are read each time, as by Django."""

    def _get_FIELD_display(self, field):
        labels = _CHOICE_LABELS.get(field)
        if labels is None:
            if not isinstance(field.choices, (list, tuple)):
                return super()._get_FIELD_display(field)
            labels = _CHOICE_LABELS[field] = dict(make_hashable(field.flatchoices))
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)


class TimeStampedModel(ChoiceLabelsMixin, models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


# ------------------------------------------------------------ organisations and people
class Department(models.Model):
    """A body in the Huzhou hierarchy: the city, a district or county, a township or street, a
    government department or a 司法所. Each has a level (市 / 区县 / 乡镇街道) and a parent; a
    decision body (决策机关) is a government at any level, or a department that adopts its own
    catalog; each body's legality review goes to its review unit (domain.md §9)."""

    class Kind(models.TextChoices):
        CITY = "city", _("市")
        DISTRICT = "district", _("区县")
        TOWNSHIP = "township", _("乡镇（街道）")
        DEPARTMENT = "department", _("政府部门")
        JUSTICE_OFFICE = "justice_office", _("司法所")

    class Level(models.TextChoices):
        CITY = "city", _("市级")
        COUNTY = "county", _("区县级")
        TOWNSHIP = "township", _("乡镇（街道）级")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("层级"), max_length=20, choices=Level.choices, default=Level.CITY)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_decision_body = models.BooleanField(
        _("决策机关"), default=False,
        help_text=_("各级人民政府，以及自行编制年度重大行政决策事项目录的部门。"))
    review_unit = models.ForeignKey(
        "self", verbose_name=_("合法性审查机构"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="reviewed_bodies",
        help_text=_("市政府及市级部门为市司法局，区县政府及其部门为区县司法局，乡镇（街道）为司法所。"))
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["sort_order", "id"]
        indexes = [models.Index(fields=["level", "is_decision_body"], name="department_level_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def display_short(self) -> str:
        return self.short_name or self.name


class Role(models.TextChoices):
    STAFF = "staff", _("承办人")
    HEAD = "head", _("部门负责人")
    REVIEWER = "reviewer", _("合法性审查人员")
    OFFICE = "office", _("政府办")
    SUPERVISOR = "supervisor", _("监督人员")
    # 三员分立 (等保 安全管理中心): three administrators, nobody holds two of them
    ADMIN = "admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


#: The three administrator roles of 三员分立; a user holds at most one (constraint user_one_admin_duty).
ADMIN_DUTIES = (Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)


class User(AbstractUser):
    """A person: belongs to one department and may hold several roles."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    roles = ArrayField(
        models.CharField(max_length=20, choices=Role.choices), verbose_name=_("角色"), default=list, blank=True
    )
    #: when the password was last set (password expiry, core.accounts)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    #: the account's one active session (HUZHOU_SINGLE_SESSION): a new login ends this one
    session_key = models.CharField(_("当前会话"), max_length=40, blank=True, editable=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(roles__contains=["admin", "security_admin"])
                            | models.Q(roles__contains=["admin", "audit_admin"])
                            | models.Q(roles__contains=["security_admin", "audit_admin"])),
                name="user_one_admin_duty"),
        ]

    def clean(self) -> None:
        super().clean()
        if len(set(self.roles) & set(ADMIN_DUTIES)) > 1:
            from django.core.exceptions import ValidationError

            raise ValidationError({"roles": _("系统管理员、安全管理员和审计管理员须由不同的人担任（三员分立）。")})

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def save(self, *args, **kwargs):
        changed = self._password is not None  # set_password() since the last save
        if changed:
            self.password_changed_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "password_changed_at"}
        super().save(*args, **kwargs)
        if changed and self.password:
            PasswordHistory.objects.create(user=self, password=self.password)

    @property
    def roles_display(self) -> str:
        labels = dict(Role.choices)
        return "、".join(str(labels.get(r, r)) for r in self.roles)


class PasswordHistory(models.Model):
    """The hashes of a user's earlier passwords (HUZHOU_PASSWORD_HISTORY: not reused)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(_("密码哈希"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        indexes = [models.Index(fields=["user", "-created_at"], name="password_history_idx")]


# ------------------------------------------------------------ audit trail
class AuditEvent(models.Model):
    """One row per change of state. Append-only: database triggers refuse
    UPDATE, DELETE and TRUNCATE; each row carries the hash of the one before."""

    seq = models.BigIntegerField(_("序号"), unique=True)
    occurred_at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_username = models.CharField(_("账号"), max_length=150, blank=True)
    actor_name = models.CharField(_("姓名"), max_length=50, blank=True)
    actor_roles = models.CharField(_("角色"), max_length=200, blank=True)
    actor_department = models.CharField(_("单位"), max_length=100, blank=True)
    event_type = models.CharField(_("事件类型"), max_length=40, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=60)
    object_id = models.CharField(_("对象编号"), max_length=40)
    object_label = models.CharField(_("对象名称"), max_length=300, blank=True)
    action = models.CharField(_("动作"), max_length=60)
    action_label = models.CharField(_("动作名称"), max_length=100, blank=True)
    source_state = models.CharField(_("原状态"), max_length=40, blank=True)
    target_state = models.CharField(_("新状态"), max_length=40, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    details = models.JSONField(_("详情"), default=dict, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    prev_hash = models.CharField(_("前一行哈希"), max_length=64)
    row_hash = models.CharField(_("本行哈希"), max_length=64)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "seq"], name="audit_object_idx"),
            models.Index(fields=["actor", "seq"], name="audit_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action_label or self.action}"


# ------------------------------------------------------------ working-day calendar
class CalendarYear(models.Model):
    """A year whose official holiday notice is loaded; days of other years are unknown."""

    year = models.PositiveSmallIntegerField(_("年度"), primary_key=True)
    source = models.CharField(_("依据"), max_length=200)
    loaded_at = models.DateTimeField(_("载入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """An exception to the Monday–Friday rule: a statutory holiday on a weekday
    or a make-up working day (调休) on a weekend."""

    date = models.DateField(_("日期"), primary_key=True)
    is_workday = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("名称"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '休息'} {self.name}"


# ------------------------------------------------------------ evidence attachments
class Attachment(models.Model):
    """A file of evidence, stored outside the served static tree."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    purpose = models.CharField(_("用途"), max_length=40, blank=True)
    original_name = models.CharField(_("文件名"), max_length=200)
    stored_path = models.CharField(_("存储路径"), max_length=300, unique=True)
    content_type_name = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_subject_idx")]

    def __str__(self) -> str:
        return self.original_name


# ------------------------------------------------------------ government information disclosure
class DisclosureSequence(models.Model):
    """The last 索引号 serial given by one publishing body in one year. Locked and advanced
    inside the publishing transaction, so serials are gap-free and never reused."""

    body = models.ForeignKey(Department, verbose_name=_("发布机构"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用至"), default=0)

    class Meta:
        verbose_name = _("索引号序列")
        verbose_name_plural = _("索引号序列")
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="one_disclosure_sequence_per_body_year")]


class DisclosureRecord(models.Model):
    """政府信息公开目录信息: the metadata a government portal shows above a published item's
    text. One per published public item; written once at publication and never changed, so
    the 索引号 stays when the item is re-published or its title changes. What changes with
    time (a normative document's 时效性) is derived when shown, not stored."""

    class Mode(models.TextChoices):
        PROACTIVE = "proactive", _("主动公开")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    index_number = models.CharField(_("索引号"), max_length=80, unique=True)
    body = models.ForeignKey(Department, verbose_name=_("发布机构"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("流水号"))
    written_on = models.DateField(_("成文日期"), null=True, blank=True)
    published_on = models.DateField(_("发布日期"))
    document_number = models.CharField(_("文件编号"), max_length=60, blank=True)
    mode = models.CharField(_("公开方式"), max_length=20, choices=Mode.choices, default=Mode.PROACTIVE)
    topic = models.CharField(_("主题分类"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("政府信息公开目录信息")
        verbose_name_plural = _("政府信息公开目录信息")
        ordering = ["body", "year", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="one_disclosure_record_per_item"),
            models.UniqueConstraint(fields=["body", "year", "serial"], name="disclosure_serial_unique_per_body_year"),
        ]

    def __str__(self) -> str:
        return self.index_number


# ------------------------------------------------------------ audit checkpoints (anchors)
class AuditCheckpoint(models.Model):
    """A signed statement of the audit chain's head (seq, hash, time) and of the highest
    official numbers issued (文号, 索引号, …; see ``core.checkpoints``). The signature is made
    with a key that is not in the database; copies live outside it (the published feed, the
    checkpoint file, exports), so a rewritten, cut or rolled-back database contradicts them.
    Append-only like the audit table."""

    seq = models.BigIntegerField(_("审计序号"))
    row_hash = models.CharField(_("链头哈希"), max_length=64)
    head_time = models.DateTimeField(_("链头时间"), null=True, blank=True)
    signed_at = models.DateTimeField(_("签署时间"))
    key_id = models.CharField(_("签名密钥"), max_length=32)
    document = models.JSONField(_("签署内容"))
    signature = models.CharField(_("签名"), max_length=200)

    class Meta:
        verbose_name = _("审计检查点")
        verbose_name_plural = _("审计检查点")
        ordering = ["-signed_at", "-id"]
        indexes = [models.Index(fields=["-seq"], name="checkpoint_seq_idx")]

    def __str__(self) -> str:
        return f"seq={self.seq} {self.row_hash[:12]}"

    def signed_copy(self) -> dict:
        """The portable form that mirrors, files and verifiers keep."""
        return {"document": self.document, "signature": {"algorithm": "Ed25519", "key_id": self.key_id,
                                                          "value": self.signature}}


# ------------------------------------------------------------ idempotent API writes
class IdempotencyRecord(models.Model):
    """The first answer to an API write sent with an ``Idempotency-Key`` header, kept so that a
    client retrying after a lost answer gets the same result instead of a second write. Written
    in the transaction of the write itself (``core.idempotency``)."""

    principal = models.CharField(_("调用方"), max_length=80)
    key = models.CharField(_("幂等键"), max_length=255)
    method = models.CharField(_("方法"), max_length=10)
    path = models.CharField(_("路径"), max_length=300)
    fingerprint = models.CharField(_("请求摘要"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("状态码"), null=True)
    content_type = models.CharField(_("响应类型"), max_length=100, blank=True)
    body = models.BinaryField(_("响应内容"), default=b"")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("幂等记录")
        verbose_name_plural = _("幂等记录")
        constraints = [models.UniqueConstraint(fields=["principal", "key"], name="one_answer_per_idempotency_key")]
        indexes = [models.Index(fields=["created_at"], name="idempotency_age_idx")]
