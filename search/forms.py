from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PUBLIC_KINDS, Kind
from .selectors import SearchParams


class SearchForm(forms.Form):
    q = forms.CharField(label=_("关键词或文号"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("类别"), required=False,
                             choices=[("", _("全部"))] + [(k.value, k.label) for k in PUBLIC_KINDS])
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    department = forms.IntegerField(label=_("单位"), required=False, min_value=1)
    status = forms.CharField(label=_("状态"), max_length=30, required=False)

    def params(self) -> SearchParams:
        """The valid parameters; an invalid filter is ignored rather than refused."""
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        return SearchParams(q=(data.get("q") or "").strip(), kind=data.get("kind") or "",
                            year=data.get("year"), department=data.get("department"),
                            status=data.get("status") or "")


KIND_LABELS = {k.value: k.label for k in Kind}
