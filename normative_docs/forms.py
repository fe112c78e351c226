"""Input shape of the normative document pages. No rules beyond field validation: the
services decide what is allowed."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import MultipleFileField
from core.models import Department
from decisions.forms import DATE

from .models import NormativeDocument
from .procedures import PROCEDURE_FIELDS
from .workflow import (
    HISTORICAL_STATES,
    DocumentStatus,
    DocumentType,
    Procedure,
    RelationKind,
)

HISTORICAL_STATUS_CHOICES = [(status, status.label) for status in HISTORICAL_STATES]
DRAFT_TEXT_FIELDS = ("title", "doc_type", "reason", "body", "explanation", "interpretation", "business_related",
                     "major_rights_impact")


class DocumentFilterForm(forms.Form):
    q = forms.CharField(label=_("名称或文号"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部"))] + DocumentStatus.choices)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)


class DocumentProposeForm(forms.Form):
    title = forms.CharField(label=_("文件名称"), max_length=200)
    doc_type = forms.ChoiceField(label=_("文种"), choices=DocumentType.choices, initial=DocumentType.MEASURES)
    issuer = forms.ModelChoiceField(label=_("制定机关"), queryset=Department.objects.none(), empty_label=None)
    reason = forms.CharField(label=_("制定理由（必要性、拟解决的问题、制定依据）"), widget=forms.Textarea(attrs={"rows": 4}))
    business_related = forms.BooleanField(
        label=_("涉及市场主体经济活动"), required=False,
        help_text=_("是：征求意见不少于30日，听取企业和行业协会商会意见，并进行公平竞争审查。"))
    major_rights_impact = forms.BooleanField(label=_("对公民、法人和其他组织权利义务有重大影响"), required=False,
                                             initial=True)

    def __init__(self, *args, issuers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if issuers is not None:
            self.fields["issuer"].queryset = issuers

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class DocumentEditForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = NormativeDocument
        fields = list(DRAFT_TEXT_FIELDS)
        widgets = {"reason": forms.Textarea(attrs={"rows": 3}), "body": forms.Textarea(attrs={"rows": 20}),
                   "explanation": forms.Textarea(attrs={"rows": 5}),
                   "interpretation": forms.Textarea(attrs={"rows": 5})}

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


def procedure_form_class(kind: str) -> type[forms.Form]:
    """A form built from the procedure's field list in procedures.PROCEDURE_FIELDS;
    the service checks what is required."""
    fields: dict[str, forms.Field] = {}
    for key, label, field_kind, _required in PROCEDURE_FIELDS[Procedure(kind)]:
        label = _(label)  # the label's English when the reader chose English
        if field_kind == "date":
            fields[key] = forms.DateField(label=label, required=False, widget=DATE)
        elif field_kind == "int":
            fields[key] = forms.IntegerField(label=label, required=False, min_value=0)
        elif field_kind == "bool":
            fields[key] = forms.BooleanField(label=label, required=False)
        elif field_kind == "textarea":
            fields[key] = forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}))
        else:
            fields[key] = forms.CharField(label=label, required=False)
    fields["files"] = MultipleFileField(label=_("证据材料（PDF、图片、DOCX、XLSX）"), required=False)
    return type(f"{kind.title().replace('_', '')}Form", (forms.Form,), fields)


class ConfirmForm(forms.Form):
    """An action without input (统一登记编号, 重新公布)."""


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PublicCommentOpenForm(forms.Form):
    opened_on = forms.DateField(label=_("征求意见开始日期"), widget=DATE)
    closes_on = forms.DateField(label=_("征求意见截止日期"), widget=DATE,
                                help_text=_("涉及市场主体的不少于30日；其他对权利义务有重大影响的不少于7个工作日。"))
    channel = forms.CharField(label=_("征求意见渠道"), initial="湖州市人民政府网站“意见征集”栏目")
    short_period_reason = forms.CharField(label=_("期限少于规定时间的理由"), required=False,
                                          widget=forms.Textarea(attrs={"rows": 2}))


class DeliberateForm(forms.Form):
    OUTCOMES = [("adopted", _("审议通过")), ("rejected", _("不予通过")), ("redraft", _("修改后再议"))]

    held_on = forms.DateField(label=_("审议日期"), widget=DATE)
    meeting = forms.CharField(label=_("审议会议"), max_length=100, help_text=_("如：市政府常务会议、局长办公会议"))
    outcome = forms.ChoiceField(label=_("审议结果"), choices=OUTCOMES)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PublishForm(forms.Form):
    published_on = forms.DateField(label=_("公布日期"), widget=DATE)
    effective_on = forms.DateField(label=_("施行日期"), widget=DATE,
                                   help_text=_("涉及市场主体的，公布至施行一般应留出调整适应期。"))
    channel = forms.CharField(label=_("公布载体"), initial="湖州市人民政府网站、《湖州市人民政府公报》")
    signed_on = forms.DateField(label=_("成文日期"), widget=DATE, required=False,
                                help_text=_("不填则为集体审议日期。"))
    valid_until = forms.DateField(label=_("有效期至"), widget=DATE, required=False,
                                  help_text=_("不填则为最长有效期：自施行之日起5年，暂行、试行的2年。"))
    no_validity_reason = forms.CharField(label=_("不设有效期的理由"), required=False, max_length=300,
                                         help_text=_("仅在依法不设有效期时填写（暂行、试行的不得不设有效期）。"))
    adjustment_reason = forms.CharField(label=_("调整适应期不足的理由"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}))
    late_reason = forms.CharField(label=_("逾期公开的理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=_("成文之日起超过20个工作日公布的必填，监督人员可见。"))


class RepealForm(forms.Form):
    reason = forms.CharField(label=_("废止理由"), widget=forms.Textarea(attrs={"rows": 3}))
    on = forms.DateField(label=_("废止日期"), widget=DATE, required=False, help_text=_("不填则为今天。"))


class LinkForm(forms.Form):
    older = forms.ModelChoiceField(label=_("已公布的文件"), queryset=NormativeDocument.objects.none())
    kind = forms.ChoiceField(label=_("本文件对其"), choices=RelationKind.choices)

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["older"].queryset = candidates
            self.fields["older"].label_from_instance = lambda d: f"{d.number} {d.title}（{d.issuer.short_name or d.issuer.name}）"

    def service_data(self) -> dict:
        return {"older_id": self.cleaned_data["older"].pk, "kind": self.cleaned_data["kind"]}


class HistoricalDocumentForm(forms.Form):
    """历史文件登记: a document issued before the portal, its 文号 exactly as printed."""

    document_number = forms.CharField(label=_("文号（按原件填写）"), max_length=60,
                                      help_text=_("如：湖政办发〔2020〕21号；括号和空格照原件填写即可。"))
    title = forms.CharField(label=_("文件名称"), max_length=200)
    issuer = forms.ModelChoiceField(label=_("制定机关"), queryset=Department.objects.none(), empty_label=None)
    doc_type = forms.ChoiceField(label=_("文种"), required=False,
                                 choices=[("", _("（按文件名称判断）"))] + DocumentType.choices)
    signed_on = forms.DateField(label=_("成文日期"), widget=DATE)
    published_on = forms.DateField(label=_("公布日期"), widget=DATE)
    effective_on = forms.DateField(label=_("施行日期"), required=False, widget=DATE, help_text=_("不填则为公布日期。"))
    valid_until = forms.DateField(label=_("有效期至"), required=False, widget=DATE,
                                  help_text=_("按原件填写；原件未载明有效期的不填。"))
    status = forms.ChoiceField(label=_("时效性"), choices=[(str(k), v) for k, v in HISTORICAL_STATUS_CHOICES])
    ended_on = forms.DateField(label=_("失效或废止日期"), required=False, widget=DATE)
    publication_channel = forms.CharField(label=_("公布载体"), max_length=200, required=False)
    text = forms.CharField(label=_("文件全文"), widget=forms.Textarea(attrs={"rows": 16}))
    interpretation = forms.CharField(label=_("政策解读"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    relation_kind = forms.ChoiceField(label=_("立改废关系"), required=False,
                                      choices=[("", _("（无）"))] + RelationKind.choices)
    relation_number = forms.CharField(label=_("被替代、修改或废止的文件文号"), max_length=60, required=False)
    files = MultipleFileField(label=_("原件扫描件等附件（公开）"), required=False)

    def __init__(self, *args, issuers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if issuers is not None:
            self.fields["issuer"].queryset = issuers

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["issuer"] = data["issuer"].name
        kind, number = data.pop("relation_kind"), data.pop("relation_number").strip()
        data["relations"] = [{"kind": kind, "number": number}] if kind or number else []
        return data
