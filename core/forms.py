from django import forms
from django.conf import settings
from django.forms.models import ModelChoiceIterator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import pagecache
from .exceptions import DomainError


def call_service(form: forms.Form, call):
    """Run one service call for a page. A refusal puts its Chinese messages on
    the form and returns (False, None); success returns (True, result)."""
    try:
        return True, call()
    except DomainError as error:
        for message in error.messages:
            form.add_error(None, message)
        return False, None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (evidence, filing materials, contract documents): a list of the
    uploaded files, each cleaned as a single ``FileField`` would; [] when none was chosen."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ConfirmForm(forms.Form):
    """Before a publication or another act that cannot be undone, the person ticks that they have
    read what will happen (the page lists what becomes public); unticked, nothing is done."""

    confirmed = forms.BooleanField(
        required=True, label=_("我已核对上述内容，确认办理"),
        error_messages={"required": _("请先确认：勾选“我已核对上述内容，确认办理”后再提交。")})


def with_confirmation(form_class: type[forms.Form]) -> type[forms.Form]:
    """``form_class`` with the confirmation box of ``ConfirmForm`` added at its end."""
    return type(f"Confirmed{form_class.__name__}", (form_class,), {"confirmed": ConfirmForm.base_fields["confirmed"]})


# ---------------------------------------------------------------- choices read once per generation
_KEPT: dict[tuple, list] = {}


class _KeptChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        key = self.field.kept_choices_key()
        if key is None:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        choices = _KEPT.get(key)
        if choices is None:
            if len(_KEPT) > 256:  # older generations
                _KEPT.clear()
            choices = _KEPT[key] = [self.choice(obj) for obj in self.queryset.all()]
        yield from choices


class KeptModelChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` whose choices (a list page's filter of units) are read once per process, page-cache
    generation and language instead of at every render (a query through a server-side cursor, ~0.7 ms). The
    generation moves on commit of any change of the models the page cache watches (``core.pagecache.watch``),
    which the queryset's model must be, and is shared by the processes through ``CACHE_URL`` as the cached public
    pages are; with the page cache off (tests: nothing is committed) the choices are read each time. A queryset
    given to one form (``field.queryset = …`` in its ``__init__``) is read each time too. Validation is
    ``ModelChoiceField``'s (a query for the chosen value)."""

    iterator = _KeptChoiceIterator

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, **kwargs)
        self._kept = object()  # the declared field's: its copies in each form share it

    def _set_queryset(self, queryset):
        self._kept = None
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result._kept = self._kept
        return result

    def kept_choices_key(self) -> tuple | None:
        if (self._kept is None or not getattr(settings, "HUZHOU_PAGE_CACHE", True)
                or self.queryset.model not in pagecache.WATCHED):
            return None
        return (self._kept, pagecache.generation(), get_language())
