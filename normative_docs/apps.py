from django.apps import AppConfig


class NormativeDocsConfig(AppConfig):
    name = "normative_docs"
    verbose_name = "行政规范性文件"

    def ready(self) -> None:
        from core.audit import register_state_choices
        from core.sequences import register_official_sequence

        # rules, clock rules, the review outcome handler, the disclosure kind, the archive source
        from . import archive, gates, reminders, services  # noqa: F401
        from .models import NumberingScheme, NumberSequence, SuggestionSequence
        from .suggestions import suggestion_number
        from .workflow import FilingStatus

        register_state_choices(FilingStatus, event_type="filing")  # a filing's steps, recorded on its document

        def describe_number(key: dict, serial: int) -> str:
            scheme = NumberingScheme.objects.filter(pk=key["scheme_id"]).first()
            return scheme.format(key["year"], serial)[0] if scheme else f"#{key['scheme_id']} {key['year']}-{serial}"

        register_official_sequence(NumberSequence, key_fields=("scheme_id", "year"), label="文号",
                                   describe=describe_number)
        register_official_sequence(SuggestionSequence, key_fields=("year",), label="审查建议编号",
                                   describe=lambda key, serial: suggestion_number(key["year"], serial))
