"""States and kinds of an administrative contract (行政机关合同), from 浙政办发〔2013〕37号
《关于规范行政机关合同管理的意见》 (domain.md §9; read in a secondary copy)."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractStatus(models.TextChoices):
    DRAFTING = "drafting", _("起草中")
    LEGALITY_REVIEW = "legality_review", _("合法性审查中")
    REVIEWED = "reviewed", _("审查通过待签订")
    REVIEW_FAILED = "review_failed", _("审查未通过")
    PERFORMING = "performing", _("履行中")
    TERMINATED = "terminated", _("已解除")
    COMPLETED = "completed", _("履行完毕")


class ContractType(models.TextChoices):
    """The kinds 37号 lists for prior legality review (国有资产、财政资金、自然资源和公共资源 …);
    ``other`` is any other contract, reviewed when the unit asks for it."""

    STATE_ASSETS = "state_assets", _("国有资产出让、出租、承包")
    FISCAL_FUNDS = "fiscal_funds", _("财政资金支出（政府采购、工程建设等）")
    RESOURCES = "resources", _("自然资源、公共资源开发利用")
    INVESTMENT = "investment", _("招商引资")
    COOPERATION = "cooperation", _("合作开发")
    DEMOLITION = "demolition", _("拆迁改造")
    FINANCING = "financing", _("政府投融资")
    BORROWING = "borrowing", _("政府借款")
    OTHER = "other", _("其他合同")


#: Types whose contracts are reviewed before signing (37号: 事前合法性审查).
REVIEW_REQUIRED_TYPES = frozenset(set(ContractType.values) - {ContractType.OTHER})


class DisputeResolution(models.TextChoices):
    LITIGATION = "litigation", _("向人民法院起诉")
    ARBITRATION = "arbitration", _("提交仲裁机构仲裁")
    ADMINISTRATIVE = "administrative", _("行政复议或行政诉讼（行政协议）")


class RecordKind(models.TextChoices):
    CHANGE = "change", _("合同变更")
    DISPUTE = "dispute", _("合同纠纷")
    PERFORMANCE = "performance", _("履行情况")


OPEN_STATES = (ContractStatus.DRAFTING, ContractStatus.LEGALITY_REVIEW, ContractStatus.REVIEWED,
               ContractStatus.REVIEW_FAILED, ContractStatus.PERFORMING)
SIGNED_STATES = (ContractStatus.PERFORMING, ContractStatus.TERMINATED, ContractStatus.COMPLETED)


class AttachmentKind(models.TextChoices):
    """What an uploaded file of a contract is (stored as the attachment's ``purpose``)."""

    TEXT = "contract_text", _("合同文本")
    ANNEX = "contract_annex", _("合同附件")
