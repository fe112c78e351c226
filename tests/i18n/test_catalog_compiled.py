"""The English catalog is complete for the public site and the committed django.mo is the
compiled django.po: a forgotten ``compilemessages`` fails here, and neither ``make test``
nor ``make run`` needs GNU gettext on the machine."""
import gettext
import re
from pathlib import Path

import polib
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO, MO = LOCALE / "django.po", LOCALE / "django.mo"

#: Where the public site's own strings live: public templates and the modules behind public pages.
PUBLIC_SOURCES = (
    "templates/base.html", "templates/public/", "templates/normative_docs/public/", "templates/enforcement/public/",
    "templates/enforcement/reports_public/", "templates/search/", "templates/registration/", "templates/includes/",
    "templates/consultations/", "templates/subscriptions/",
    "portal/", "core/feeds.py", "core/disclosure.py", "normative_docs/public_views.py",
    "enforcement/public_views.py", "enforcement/publicity.py", "search/", "consultations/", "subscriptions/",
)


def catalog() -> polib.POFile:
    return polib.pofile(str(PO))


def test_the_compiled_catalog_is_committed_and_matches_the_source():
    assert MO.exists(), "locale/en/LC_MESSAGES/django.mo is missing: run manage.py compilemessages and commit it"
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in catalog().translated_entries():
        context = entry.msgctxt
        if entry.msgid_plural:
            def plural(n, entry=entry, context=context):
                return (compiled.npgettext(context, entry.msgid, entry.msgid_plural, n) if context
                        else compiled.ngettext(entry.msgid, entry.msgid_plural, n))
            got, want = (plural(1), plural(2)), (entry.msgstr_plural[0], entry.msgstr_plural[1])
        elif context:
            got, want = compiled.pgettext(context, entry.msgid), entry.msgstr
        else:
            got, want = compiled.gettext(entry.msgid), entry.msgstr
        if got != want:
            stale.append(entry.msgid)
    assert not stale, f"django.mo is older than django.po ({len(stale)} entries differ, e.g. {stale[:3]}): compile it"


def test_no_entry_is_fuzzy_or_obsolete():
    po = catalog()
    assert not [e.msgid for e in po.fuzzy_entries()]
    assert not [e.msgid for e in po.obsolete_entries()]


def test_every_string_of_the_public_site_is_translated():
    untranslated = [(e.msgid, e.occurrences[0][0]) for e in catalog().untranslated_entries()
                    if any(path.startswith(PUBLIC_SOURCES) for path, _line in e.occurrences)]
    assert not untranslated, f"{len(untranslated)} public strings without English: {untranslated[:10]}"


def test_the_whole_catalog_is_translated():
    po = catalog()
    assert po.percent_translated() == 100, [e.msgid for e in po.untranslated_entries()][:10]


def test_translations_keep_every_placeholder_of_the_chinese():
    placeholder = re.compile(r"%\(\w+\)[sd]")
    broken = []
    for entry in catalog().translated_entries():
        pairs = ([(entry.msgid, entry.msgstr_plural[0]), (entry.msgid_plural, entry.msgstr_plural[1])]
                 if entry.msgid_plural else [(entry.msgid, entry.msgstr)])
        for source, target in pairs:
            if set(placeholder.findall(source)) != set(placeholder.findall(target)):
                broken.append(entry.msgid)
    assert not broken, broken[:5]


def test_translations_are_english():
    han = re.compile(r"[\u4e00-\u9fff]")
    # a few msgstrs quote Chinese on purpose: a sample input, a bracket style, a document number pattern
    quoted = re.compile(r"[\u4e00-\u9fff]*〔[^〕]*〕\S*|“[^”]*”|[休班元旦号湖政规停车]")
    chinese = [e.msgid for e in catalog().translated_entries() if han.search(quoted.sub("", e.msgstr))]
    assert not chinese, chinese[:5]
