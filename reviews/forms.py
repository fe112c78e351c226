from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Role, User

from .checklist import ANSWER_CHOICES, checklist_for
from .models import ReviewTask


class ReviewDecisionForm(forms.Form):
    """The reviewer's conclusion: one answer and note per checklist item, the opinion and the outcome."""

    outcome = forms.ChoiceField(label=_("审查结论"), choices=[("", "—")] + ReviewTask.Outcome.choices)
    opinion = forms.CharField(label=_("审查意见"), widget=forms.Textarea(attrs={"rows": 5}))
    early_reason = forms.CharField(label=_("提前作出结论的理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                   help_text=_("在最早结论日期之前作出通过或不通过结论的必填，记入审计日志，监督人员可见；"
                                               "退回补充材料不受此限。"))

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = checklist_for(kind)
        for key, label, basis in self.items:
            self.fields[f"check_{key}"] = forms.ChoiceField(
                label=label, choices=ANSWER_CHOICES, widget=forms.RadioSelect, required=False, help_text=basis)
            self.fields[f"note_{key}"] = forms.CharField(label=_("说明"), required=False)
        self.order_fields([f for key, *_ in self.items for f in (f"check_{key}", f"note_{key}")] + ["outcome", "opinion", "early_reason"])

    def checklist(self) -> dict:
        return {key: {"answer": self.cleaned_data.get(f"check_{key}", ""), "note": self.cleaned_data.get(f"note_{key}", "")}
                for key, *_ in self.items}


class ReviewAssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("审查人"), queryset=User.objects.none())

    def __init__(self, *args, review_unit_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(roles__contains=[Role.REVIEWER], is_active=True,
                                                               department_id=review_unit_id)
