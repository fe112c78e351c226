"""Input shape of the decision pages. No rules beyond field validation: the
services decide what is allowed."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import KeptModelChoiceField, MultipleFileField
from core.models import Department

from .models import CatalogItem, Decision, MeetingRecord
from .procedures import PROCEDURE_FIELDS
from .workflow import (
    ALWAYS_REQUIRED,
    CATALOG_TERMS,
    TRACK_CHOICES,
    DecisionCategory,
    Disclosure,
    EvaluationConclusion,
    EvaluationTrigger,
    Procedure,
    RiskLevel,
    SkipGround,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DecisionCreateForm(forms.Form):
    catalog_item = forms.ModelChoiceField(queryset=CatalogItem.objects.none(), required=False,
                                          label=_("关联年度目录事项"), empty_label=_("（目录外决策）"))
    outside_catalog_reason = forms.CharField(label=_("目录外决策理由"), required=False, widget=forms.Textarea,
                                             help_text=_("未关联目录事项时必填。"))
    title = forms.CharField(label=_("决策事项名称"), max_length=200)
    summary = forms.CharField(label=_("主要内容"), widget=forms.Textarea)
    category = forms.ChoiceField(label=_("事项类别"), choices=DecisionCategory.choices)
    required_procedures = forms.MultipleChoiceField(label=_("履行程序要求"), choices=TRACK_CHOICES, required=False,
                                                    widget=forms.CheckboxSelectMultiple,
                                                    help_text=_("关联目录事项时默认采用目录载明的程序。"))
    draft_text = forms.CharField(label=_("决策草案"), widget=forms.Textarea, required=False)
    explanation = forms.CharField(label=_("起草说明"), widget=forms.Textarea, required=False)
    disclosure = forms.ChoiceField(label=_("公开属性"), choices=Disclosure.choices, initial=Disclosure.PUBLIC)
    withheld_reason = forms.CharField(label=_("不予公开的法律依据"), required=False, max_length=300)

    def __init__(self, *args, catalog_items=None, **kwargs):
        super().__init__(*args, **kwargs)
        if catalog_items is not None:
            self.fields["catalog_item"].queryset = catalog_items
            self.fields["catalog_item"].label_from_instance = lambda i: f"{i.catalog.year}年 {i.number or ''}. {i.name}"

    def service_data(self) -> dict:
        """Blank optional fields are left out so that the service applies its defaults."""
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "", [])}


class DecisionEditForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    required_procedures = forms.MultipleChoiceField(label=_("履行程序要求"), choices=TRACK_CHOICES, required=False,
                                                    widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Decision
        fields = ["title", "summary", "category", "required_procedures", "draft_text", "explanation",
                  "outside_catalog_reason", "disclosure", "withheld_reason"]
        widgets = {"summary": forms.Textarea, "draft_text": forms.Textarea, "explanation": forms.Textarea,
                   "outside_catalog_reason": forms.Textarea}


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


def procedure_form_class(kind: str) -> type[forms.Form]:
    """A form built from the procedure's field list in procedures.PROCEDURE_FIELDS."""
    fields: dict[str, forms.Field] = {}
    for key, label, field_kind, required in PROCEDURE_FIELDS[Procedure(kind)]:
        label = _(label)  # the label's English when the reader chose English
        if field_kind == "date":
            fields[key] = forms.DateField(label=label, required=False, widget=DATE)
        elif field_kind == "int":
            fields[key] = forms.IntegerField(label=label, required=False, min_value=0)
        elif field_kind == "bool":
            fields[key] = forms.BooleanField(label=label, required=False)
        elif field_kind == "risk_level":
            fields[key] = forms.ChoiceField(label=label, required=False, choices=[("", "—")] + RiskLevel.choices)
        elif field_kind == "textarea":
            fields[key] = forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}))
        else:
            fields[key] = forms.CharField(label=label, required=False)
    fields["files"] = MultipleFileField(label=_("证据材料（PDF、图片、DOCX、XLSX）"), required=False)
    fields["skip_ground"] = forms.ChoiceField(
        label=_("依法免予履行的情形（仅在不履行本程序时选择）"), required=False, choices=[("", "—")] + SkipGround.choices)
    fields["skip_reason"] = forms.CharField(label=_("免予履行的具体理由"), required=False,
                                            widget=forms.Textarea(attrs={"rows": 2}))
    return type(f"{kind.title()}Form", (forms.Form,), fields)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = MeetingRecord
        fields = ["meeting_type", "session_name", "held_on", "attendees", "observers", "member_views", "head_name",
                  "outcome", "dissent", "differs_from_majority_reason"]
        widgets = {"held_on": DATE, "attendees": forms.Textarea(attrs={"rows": 2}),
                   "observers": forms.Textarea(attrs={"rows": 2}), "member_views": forms.Textarea(attrs={"rows": 4}),
                   "dissent": forms.Textarea(attrs={"rows": 2}),
                   "differs_from_majority_reason": forms.Textarea(attrs={"rows": 2})}


class PublicCommentOpenForm(forms.Form):
    opened_on = forms.DateField(label=_("征求意见开始日期"), widget=DATE)
    closes_on = forms.DateField(label=_("征求意见截止日期"), widget=DATE,
                                help_text=_("一般不少于30日；截止当日24时结束。"))
    channel = forms.CharField(label=_("征求意见渠道"), initial="湖州市人民政府网站“意见征集”栏目")
    short_period_reason = forms.CharField(label=_("期限少于30日的理由"), required=False,
                                          widget=forms.Textarea(attrs={"rows": 2}))


class HearingScheduleForm(forms.Form):
    held_on = forms.DateField(label=_("听证会日期"), widget=DATE, help_text=_("听证材料须于听证会7日前送达听证参加人。"))
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PartyReportForm(forms.Form):
    reported_on = forms.DateField(label=_("报告日期"), widget=DATE)
    note = forms.CharField(label=_("报告情况"), widget=forms.Textarea(attrs={"rows": 3}))


class PublishForm(forms.Form):
    channel = forms.CharField(label=_("公布渠道"), initial="湖州市人民政府网站、《湖州市人民政府公报》")
    document_number = forms.CharField(label=_("文号"), required=False)
    late_reason = forms.CharField(label=_("逾期公布的理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=_("决策作出之日起超过20个工作日公布的必填，监督人员可见。"))


class ExecutionReportForm(forms.Form):
    reported_on = forms.DateField(label=_("报告日期"), widget=DATE)
    progress = forms.CharField(label=_("执行进展"), widget=forms.Textarea)
    problems = forms.CharField(label=_("存在问题"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    targets_missed = forms.BooleanField(label=_("未达到预期目标（提示决策机关研究启动决策后评估）"), required=False)


class PostEvaluationStartForm(forms.Form):
    trigger = forms.ChoiceField(label=_("评估启动情形"), choices=EvaluationTrigger.choices)
    evaluator = forms.CharField(label=_("评估机构"), help_text=_("不得为参与决策前风险评估的机构。"))
    reason = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PostEvaluationConcludeForm(forms.Form):
    findings = forms.CharField(label=_("评估结论"), widget=forms.Textarea)
    conclusion = forms.ChoiceField(label=_("处理建议"), choices=EvaluationConclusion.choices)


class CompleteForm(forms.Form):
    completed_on = forms.DateField(label=_("执行完毕日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionFilterForm(forms.Form):
    q = forms.CharField(label=_("名称"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False)
    year = forms.IntegerField(label=_("年度"), required=False)
    department = KeptModelChoiceField(label=_("承办单位"), required=False,
                                      queryset=Department.objects.filter(kind=Department.Kind.DEPARTMENT))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .workflow import DecisionStatus

        self.fields["status"].choices = [("", _("全部"))] + DecisionStatus.choices


# ------------------------------------------------------------------ catalog
PLANNED_HELP = _("填写日期（2025-12-31）、月份（2025-12 或 2025年12月）或季度（2025-Q4 或 2025年第四季度），"
                 "按所填写的精度公布；提醒按该期间的最后一日计算。")
CATALOG_PROCEDURE_CHOICES = [(p.value, CATALOG_TERMS[p]) for p in Procedure]


def catalog_procedure_field(**kwargs) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label=_("履行程序要求"), choices=CATALOG_PROCEDURE_CHOICES, required=False,
                                     widget=forms.CheckboxSelectMultiple,
                                     help_text=_("合法性审查、集体讨论决定为每项决策的必经程序，总是列入。"), **kwargs)


class CatalogItemForm(forms.ModelForm):
    required_procedures = catalog_procedure_field(initial=[p.value for p in ALWAYS_REQUIRED])
    planned_completion = forms.CharField(label=_("计划完成时间"), max_length=20, help_text=PLANNED_HELP)
    field_order = ["name", "content", "decision_body", "legal_basis", "required_procedures", "planned_completion",
                   "category", "disclosure", "withheld_reason"]

    class Meta:
        model = CatalogItem
        # planned_completion is read by the service (a day, a month or a quarter), not by the model field
        fields = ["name", "content", "decision_body", "legal_basis", "required_procedures", "category", "disclosure",
                  "withheld_reason"]
        widgets = {"content": forms.Textarea(attrs={"rows": 3}), "legal_basis": forms.Textarea(attrs={"rows": 2})}


class CatalogCompileForm(forms.Form):
    included = forms.ModelMultipleChoiceField(label=_("列入目录的事项"), queryset=CatalogItem.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("说明"), required=False)

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        if items is not None:
            self.fields["included"].queryset = items
            self.fields["included"].label_from_instance = lambda i: f"{i.name}（{i.lead_department.name}）"


class PartyConsentForm(forms.Form):
    consent_on = forms.DateField(label=_("同级党委同意日期"), widget=DATE)
    note = forms.CharField(label=_("同意情况"), initial="经市委常委会会议同意")


class CatalogPublishForm(forms.Form):
    document_number = forms.CharField(label=_("发布文号"), required=False)


class CatalogAdjustmentForm(forms.Form):
    from .models import CatalogAdjustment as _Adjustment

    kind = forms.ChoiceField(label=_("调整类型"), choices=_Adjustment.Kind.choices)
    item = forms.ModelChoiceField(label=_("调整的事项（调出或变更时选择）"), queryset=CatalogItem.objects.none(),
                                  required=False)
    reason = forms.CharField(label=_("调整理由"), widget=forms.Textarea(attrs={"rows": 3}))
    name = forms.CharField(label=_("事项名称（增加或变更时填写）"), required=False)
    content = forms.CharField(label=_("主要内容"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    legal_basis = forms.CharField(label=_("法律政策依据"), required=False)
    planned_completion = forms.CharField(label=_("计划完成时间"), required=False, max_length=20, help_text=PLANNED_HELP)
    category = forms.ChoiceField(label=_("事项类别"), choices=[("", "—")] + DecisionCategory.choices, required=False)
    required_procedures = catalog_procedure_field()

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        if items is not None:
            self.fields["item"].queryset = items

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items()
                if k in ("name", "content", "legal_basis", "planned_completion", "category", "required_procedures")
                and v not in (None, "", [])}
        return data


class AdjustmentDecideForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("审核结果"), coerce=lambda v: v == "1",
                                     choices=[("1", _("同意并公布")), ("0", _("不予调整"))])
    note = forms.CharField(label=_("说明"), required=False)
    confirmed = forms.BooleanField(label=_("确认公布：调整内容将在公开目录中显示"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("approve") and not data.get("confirmed"):  # approving publishes the adjustment
            raise forms.ValidationError(_("请先确认：勾选“确认公布”后再同意并公布调整。"))
        return data
