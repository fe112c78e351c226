"""``makemessages`` that also extracts ``_lazy(...)``: a few modules import
``gettext_lazy as _lazy`` next to ``gettext as _``, and xgettext only knows Django's own
names, so without this their strings would silently fall out of the catalog."""
from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_lazy"]
