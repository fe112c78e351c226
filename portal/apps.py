from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "公众门户"

    def ready(self) -> None:
        from . import feeds  # noqa: F401  registers the public feeds that e-mail digests read
