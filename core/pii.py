"""One detector for personal numbers and names in free text (issue 13; security.md §1).

Every public door (pages, API, feeds, search, open data) and ``manage.py scan_public_pii`` use
this module, so what is masked and what the scanner looks for cannot drift apart.

How a number is found, so that typing it differently does not hide it:

1. Full-width digits and letters (``３３０５０２``, ``Ｘ``) count as ASCII.
2. Digit groups separated by at most three separator characters (spaces of any width, hyphens
   and dashes, dots, brackets, slashes, ``+``) form one cluster: ``330502 19900909 7898``,
   ``138-1234-5678``, ``(0572) 2345678``, ``+86 138 1234 5678``. Letters end a cluster but do not
   hide what follows them: ``ID330502…`` and ``身份证号330502…`` are found.
3. Every run of consecutive groups in a cluster is classified: resident IDs (18 characters with a
   plausible birth date, the last may be ``X``; 15 digits of the first generation), mobiles
   (``1[3-9]`` + 9 digits, with or without ``86``/``0086``), landlines (``0`` + area code +
   7–8 digits, or ``86`` without the ``0``) and bank cards (16–19 digits). A cluster is cut into
   numbers so that the most digits are masked, so two numbers typed side by side are both found
   and no part of one is left in the clear.

The detector errs on the side of masking: an 18-digit run with a wrong check character is still
masked (it still identifies someone), and a number that looks like a bank card is masked even when
it is something else. Unified social credit codes of organisations contain letters in practice and
are left alone, as the law makes them public.

Names: every name and alias of a natural person who is a party is masked wherever it appears,
also with spaces or dots between its characters; the given name alone (two characters or more)
too.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789XX")
_DIGIT = "0-9０-９"
#: a digit group; an X may close it (the check character of an 18-character ID)
#: (also alone, when typed apart: "… 7898 X")
GROUP = re.compile(f"[{_DIGIT}]+(?:[XxＸｘ](?![{_DIGIT}]))?|(?<![A-Za-z])[XxＸｘ](?![{_DIGIT}])")
#: what may stand between the groups of one number
SEPARATORS = " \t\u00a0\u2002\u2003\u2009\u202f\u3000-‐‑‒–—―－−.．。·・()（）/／+＋_"
MAX_GAP = 3

RESIDENT_ID, MOBILE, LANDLINE, BANK_CARD = "resident_id", "mobile", "landline", "bank_card"
KIND_RANK = {RESIDENT_ID: 4, MOBILE: 3, LANDLINE: 2, BANK_CARD: 1}
KIND_LABELS = {RESIDENT_ID: "身份证号", MOBILE: "手机号", LANDLINE: "固定电话", BANK_CARD: "银行卡号"}


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    digits: str  # normalised: ASCII digits (and X), no separators
    prefix: str = ""  # a country code ("86", "0086") before the national number


def _valid_date(month: str, day: str) -> bool:
    return 1 <= int(month) <= 12 and 1 <= int(day) <= 31


def classify(digits: str) -> tuple[str, str] | None:
    """(kind, country-code prefix) of a normalised digit string, or None."""
    if "X" in digits[:-1]:
        return None
    if digits.endswith("X"):
        if len(digits) == 18 and digits[0] != "0" and digits[6:8] in ("18", "19", "20") \
                and _valid_date(digits[10:12], digits[12:14]):
            return RESIDENT_ID, ""
        return None
    n = len(digits)
    if n == 18 and digits[0] != "0" and digits[6:8] in ("18", "19", "20") and _valid_date(digits[10:12], digits[12:14]):
        return RESIDENT_ID, ""
    if n == 15 and digits[0] != "0" and _valid_date(digits[8:10], digits[10:12]):
        return RESIDENT_ID, ""
    for prefix in ("0086", "86", ""):
        if not digits.startswith(prefix):
            continue
        national = digits[len(prefix):]
        if len(national) == 11 and re.fullmatch(r"1[3-9]\d{9}", national):
            return MOBILE, prefix
        if not prefix and re.fullmatch(r"0[1-9]\d{8,10}", national):
            return LANDLINE, ""
        if prefix and re.fullmatch(r"[1-9]\d{8,10}", national) and not national.startswith("1"):
            return LANDLINE, prefix
    if 16 <= n <= 19:
        return BANK_CARD, ""
    return None


def _clusters(text: str) -> list[list[tuple[int, int, str]]]:
    clusters: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    for match in GROUP.finditer(text):
        start, end = match.span()
        digits = match.group().translate(FULL_WIDTH).upper()
        if current:
            gap = text[current[-1][1]:start]
            if len(gap) > MAX_GAP or any(char not in SEPARATORS for char in gap):
                clusters.append(current)
                current = []
        current.append((start, end, digits))
    if current:
        clusters.append(current)
    return clusters


def _segment(cluster: list[tuple[int, int, str]], i: int, j: int):
    """(kind, digits, prefix, trim) when groups i..j read as one number, else None."""
    joined = "".join(group[2] for group in cluster[i:j + 1])
    if len(joined) > 23:
        return None
    found, trim = classify(joined), 0
    if not found and joined.endswith("X"):  # "…7898X": the number, then a letter
        joined, trim = joined[:-1], 1
        found = classify(joined)
    return (found[0], joined, found[1], trim) if found else None


def find_numbers(text: str) -> list[Finding]:
    """Every personal number in ``text`` (see the module's docstring), in order, not overlapping.

    A cluster of groups is cut into numbers so that the most digits are masked (then the
    higher-ranking kinds, then fewer numbers): two numbers typed side by side are both found,
    and a card is not read as a phone inside it with its first digits left over."""
    findings: list[Finding] = []
    for cluster in _clusters(text or ""):
        n = len(cluster)
        # best[i]: (digits covered, rank sum, -numbers, cuts) for the groups from i on
        best: list[tuple] = [(0, 0, 0, ())] * (n + 1)
        for i in range(n - 1, -1, -1):
            options = [best[i + 1]]  # group i stays as it is
            for j in range(i, n):
                segment = _segment(cluster, i, j)
                if segment:
                    rest = best[j + 1]
                    options.append((rest[0] + len(segment[1]), rest[1] + KIND_RANK[segment[0]], rest[2] - 1,
                                    ((i, j, segment), *rest[3])))
            best[i] = max(options, key=lambda option: option[:3])
        for i, j, (kind, digits, prefix, trim) in best[0][3]:
            start = cluster[i][0]
            if start and text[start - 1] in "(（" and any(c in ")）" for c in text[start:cluster[j][1]]):
                start -= 1  # "(0572) 2345678": the bracket goes with the number
            findings.append(Finding(kind=kind, start=start, end=cluster[j][1] - trim, digits=digits, prefix=prefix))
    return sorted(findings, key=lambda f: f.start)


def mask_number(finding: Finding, *, staff: bool = False) -> str:
    """The masked form of one finding. Public: an ID keeps its first and last character, a mobile
    its first 3 and last 4 digits, a landline its area code and last 2, a card its first and
    last 4. Staff: an ID keeps its first 6 and last 4."""
    digits = finding.digits[len(finding.prefix):]
    if finding.kind == RESIDENT_ID:
        if staff:
            return digits[:6] + "*" * (len(digits) - 10) + digits[-4:]
        return digits[0] + "*" * (len(digits) - 2) + digits[-1]
    if finding.kind == MOBILE:
        return finding.prefix + f"{digits[:3]}****{digits[-4:]}"
    if finding.kind == LANDLINE:
        national = digits if not finding.prefix else "0" + digits  # +86 drops the national 0
        area = (3 if national[1] in "12" else 4) - (1 if finding.prefix else 0)  # 010, 02x; else 0xxx
        return finding.prefix + f"{digits[:area]}-****{digits[-2:]}"
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def _kept_prefix(span: str, prefix: str) -> str:
    """The country code as it was written ("86 ", "0086-"), with what separates it from the number."""
    if not prefix:
        return ""
    seen = 0
    for index, char in enumerate(span):
        if char.translate(FULL_WIDTH).isdigit():
            seen += 1
            if seen == len(prefix):
                rest = span[index + 1:]
                return span[:index + 1] + rest[:len(rest) - len(rest.lstrip(SEPARATORS))]
    return prefix


def mask_numbers(text: str, *, staff: bool = False) -> str:
    if not text:
        return text or ""
    out, last = [], 0
    for finding in find_numbers(text):
        out.append(text[last:finding.start])
        out.append(_kept_prefix(text[finding.start:finding.end], finding.prefix))
        out.append(mask_number(finding, staff=staff)[len(finding.prefix):])
        last = finding.end
    out.append(text[last:])
    return "".join(out)


# ---------------------------------------------------------------- names
_NAME_GAP = "[\\s\u3000·・.．\\-_]{0,3}"


def name_variants(name: str) -> list[str]:
    """What to look for of one person's name: the name, and the given name alone when it has two
    characters or more (``张三丰`` → ``张三丰``, ``三丰``)."""
    name = re.sub(r"\s+", "", name or "")
    variants = [name] if len(name) >= 2 else []
    if len(name) >= 3:
        variants.append(name[1:])
    return variants


def _name_pattern(variant: str) -> str:
    return _NAME_GAP.join(re.escape(char) for char in variant)


def name_regex(name: str) -> re.Pattern:
    """A name however spaced (``李 四·海``)."""
    return re.compile(_name_pattern(re.sub(r"\s+", "", name)))


def mask_person_name(name: str) -> str:
    """张三 → 张*; the surname stays."""
    name = (name or "").strip()
    return name[:1] + "*" * max(1, len(name) - 1) if name else name


def mask_names(text: str, names: Iterable[str]) -> str:
    """Mask every name and alias in ``names`` (natural persons) inside ``text``, however spaced."""
    if not text:
        return text or ""
    replacements: dict[str, str] = {}
    for name in names:
        variants = name_variants(name)
        for variant in variants:
            replacements.setdefault(variant, mask_person_name(name) if variant == variants[0] else "*" * len(variant))
    if not replacements:
        return text
    ordered = sorted(replacements, key=len, reverse=True)
    pattern = re.compile("|".join(f"({_name_pattern(v)})" for v in ordered))
    return pattern.sub(lambda m: replacements[ordered[m.lastindex - 1]], text)


def mask_text(text: str, *, names: Iterable[str] = (), staff: bool = False) -> str:
    """Mask every personal number and every given name inside free text."""
    return mask_names(mask_numbers(text, staff=staff), names)
