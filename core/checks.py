"""System checks of the shared machinery."""
from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning, register


@register()
def signing_key_configured(app_configs, **kwargs):
    """Without HUZHOU_SIGNING_KEY (and without DEBUG) no checkpoint or archive package can be signed."""
    if settings.DEBUG or settings.HUZHOU_SIGNING_KEY:
        return []
    return [Warning("HUZHOU_SIGNING_KEY is not set: audit checkpoints and archive packages cannot be signed",
                    hint="python manage.py generate_signing_key; see README, 'Audit chain and anchors'",
                    id="core.W001")]
