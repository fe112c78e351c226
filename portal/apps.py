from django.apps import AppConfig, apps

#: Apps whose every model may show on a public page: a change of any ends the page cache's generation.
PUBLIC_APPS = ("decisions", "normative_docs", "enforcement", "consultations")
#: And these of core.
PUBLIC_CORE_MODELS = ("Department", "DisclosureRecord", "AuditCheckpoint")


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "公众门户"

    def ready(self) -> None:
        from core import pagecache

        from . import feeds  # noqa: F401  registers the public feeds that e-mail digests read

        pagecache.watch(*(model for label in PUBLIC_APPS for model in apps.get_app_config(label).get_models()))
        pagecache.watch(*(apps.get_model("core", name) for name in PUBLIC_CORE_MODELS))
