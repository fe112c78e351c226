"""A filter's units are read once per page-cache generation and language: the same markup as a plain
ModelChoiceField, no query while nothing changed, a new unit shown as soon as it is committed."""
import pytest
from django import forms

from core.forms import KeptModelChoiceField
from core.models import Department, User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


class Kept(forms.Form):
    unit = KeptModelChoiceField(queryset=Department.objects.filter(kind=Department.Kind.DEPARTMENT), required=False)


class Plain(forms.Form):
    unit = forms.ModelChoiceField(queryset=Department.objects.filter(kind=Department.Kind.DEPARTMENT), required=False)


def new_unit(code: str, commit) -> Department:
    with commit(execute=True):
        return Department.objects.create(code=code, name=f"测试单位{code}", kind=Department.Kind.DEPARTMENT)


@pytest.mark.parametrize("data", [None, {"unit": "1"}])
def test_the_kept_choices_are_the_plain_fields_markup(data):
    assert str(Kept(data)["unit"]) == str(Plain(data)["unit"])
    assert str(Kept(data)["unit"]) == str(Plain(data)["unit"])  # from what was kept


def test_nothing_is_read_again_until_a_unit_changes(django_assert_num_queries, django_capture_on_commit_callbacks):
    str(Kept()["unit"])
    with django_assert_num_queries(0):
        str(Kept()["unit"])
    unit = new_unit("kept-new", django_capture_on_commit_callbacks)
    with django_assert_num_queries(1):
        assert "测试单位kept-new" in str(Kept()["unit"])
    with django_capture_on_commit_callbacks(execute=True):
        unit.delete()
    assert "测试单位kept-new" not in str(Kept()["unit"])


def test_a_language_has_its_own_choices(django_assert_num_queries):
    from django.utils import translation

    str(Kept()["unit"])
    with translation.override("en"), django_assert_num_queries(1):
        str(Kept()["unit"])


def test_with_the_page_cache_off_the_units_are_read_each_time(settings, django_assert_num_queries):
    settings.HUZHOU_PAGE_CACHE = False
    str(Kept()["unit"])
    with django_assert_num_queries(1):
        str(Kept()["unit"])


def test_a_queryset_given_to_one_form_is_read_each_time(django_assert_num_queries):
    class PerUser(Kept):
        def __init__(self, *args, units=None, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["unit"].queryset = units

    first = Department.objects.filter(kind=Department.Kind.DEPARTMENT)[:1]
    assert str(PerUser(units=first)["unit"]).count("<option") == 2
    with django_assert_num_queries(1):
        assert str(PerUser(units=Department.objects.filter(code="none"))["unit"]).count("<option") == 1


def test_a_model_the_page_cache_does_not_watch_is_read_each_time(django_assert_num_queries):
    class Users(forms.Form):
        who = KeptModelChoiceField(queryset=User.objects.all(), required=False)

    str(Users()["who"])
    with django_assert_num_queries(1):
        str(Users()["who"])
