"""Text tools for normative documents: the "related documents" panel (same subject,
so that conflicts are seen before drafting or review) and the side-by-side comparison
of two versions (立改废).

Similarity is computed in Python, not in the database: the embedded PostgreSQL has no
``pg_trgm``, so there is no trigram index to ask. Candidates come in ONE query (id,
title, number, issuer, dates and the first ``BODY_CHARS`` characters of the body), each
is turned into a weighted vector of character bigrams (Chinese has no spaces between
words; two-character pieces catch most words) and compared by cosine similarity with
tf-idf weights, so that boilerplate shared by every document (湖州市, 本办法, 第一条)
counts little. The cost is O(candidates × BODY_CHARS): fine for the few thousand
documents of one city; beyond that, precompute and store the vectors.
"""
from __future__ import annotations

import difflib
import math
import re
from collections import Counter

from django.db.models.functions import Substr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import NormativeDocument
from .workflow import PUBLISHED_STATES

#: A bigram of the title counts this many times one of the body.
TITLE_WEIGHT = 3
#: Only the head of each body is compared: it states the subject and the scope.
BODY_CHARS = 3000
#: Pieces found in almost every document; they say nothing about the subject.
STOP_BIGRAMS = frozenset({
    "湖州", "州市", "本市", "关于", "若干", "本办", "办法", "规定", "意见", "通知", "实施", "细则", "第一", "一条",
    "第二", "二条", "第三", "三条", "本规", "条例", "制定", "根据", "有关", "相关", "进一", "一步", "工作", "管理",
})
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def bigrams(text: str) -> Counter:
    """Character bigrams of each run of letters, digits and Chinese characters; a run of
    one character counts as itself."""
    grams: Counter = Counter()
    for run in _NON_WORD.split((text or "").lower()):
        if len(run) == 1:
            grams[run] += 1
        for i in range(len(run) - 1):
            gram = run[i:i + 2]
            if gram not in STOP_BIGRAMS:
                grams[gram] += 1
    return grams


def _terms(title: str, body: str) -> Counter:
    terms = bigrams(body[:BODY_CHARS])
    for gram, count in bigrams(title).items():
        terms[gram] += TITLE_WEIGHT * count
    return terms


def _vector(terms: Counter, idf: dict[str, float], default_idf: float) -> dict[str, float]:
    return {gram: (1 + math.log(count)) * idf.get(gram, default_idf) for gram, count in terms.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(weight * b[gram] for gram, weight in a.items() if gram in b)
    if not dot:
        return 0.0
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return min(1.0, dot / norm)


def related_documents(*, title: str, body: str = "", exclude_id: int | None = None, limit: int = 5,
                      public_only: bool = True, user=None) -> list[tuple[NormativeDocument, float]]:
    """Existing documents on the same subject as ``title``/``body``, best first, as
    (document, score 0..1); documents sharing nothing but boilerplate are left out.

    ``public_only`` (the default, and what every public page uses) compares with the
    public library only. With ``public_only=False`` the candidates are every published
    document plus, when ``user`` is given, the drafts that user may see — never drafts
    of others. Candidates come in one query; see the module docstring for the cost."""
    if public_only:
        candidates = NormativeDocument.objects.public()
    elif user is not None:
        candidates = NormativeDocument.objects.visible_to(user) | NormativeDocument.objects.filter(
            status__in=PUBLISHED_STATES)
    else:
        candidates = NormativeDocument.objects.filter(status__in=PUBLISHED_STATES)
    if exclude_id is not None:
        candidates = candidates.exclude(pk=exclude_id)
    rows = list(
        candidates.select_related("issuer")
        .only("id", "title", "number", "status", "published_on", "effective_on", "valid_until",
              "issuer__name", "issuer__short_name")
        .annotate(body_head=Substr("body", 1, BODY_CHARS))
        .order_by("-id")
    )
    query_terms = _terms(title, body)
    if not rows or not query_terms:
        return []
    row_terms = [_terms(row.title, row.body_head or "") for row in rows]
    frequency: Counter = Counter()
    for terms in row_terms:
        frequency.update(terms.keys())
    total = len(rows) + 1  # the query is a document too
    idf = {gram: math.log((total + 1) / (count + 2)) + 1 for gram, count in frequency.items()}
    default_idf = math.log((total + 1) / 2) + 1
    query = _vector(query_terms, idf, default_idf)
    scored = [(row, _cosine(query, _vector(terms, idf, default_idf))) for row, terms in zip(rows, row_terms)]
    scored = [(row, round(score, 3)) for row, score in scored if score > 0]
    scored.sort(key=lambda pair: (-pair[1], -pair[0].pk))
    return scored[:limit]


# ================================================================== side-by-side comparison
def _mark(text: str, tag: str) -> str:
    return f'<{tag}>{escape(text)}</{tag}>' if text else ""


def _inline(old: str, new: str) -> tuple[SafeString, SafeString]:
    """One changed line pair, with the changed characters marked (<del>/<ins>)."""
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            left.append(escape(old[i1:i2]))
            right.append(escape(new[j1:j2]))
        else:
            left.append(_mark(old[i1:i2], "del"))
            right.append(_mark(new[j1:j2], "ins"))
    return mark_safe("".join(left)), mark_safe("".join(right))


def side_by_side(old: str, new: str) -> list[dict]:
    """Rows for a two-column comparison: ``{"kind": equal|replace|delete|insert,
    "old": html, "new": html, "old_no": n, "new_no": n}``. Text is escaped here."""
    old_lines, new_lines = (old or "").splitlines(), (new or "").splitlines()
    rows = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for k in range(i2 - i1):
                rows.append({"kind": "equal", "old": escape(old_lines[i1 + k]), "new": escape(new_lines[j1 + k]),
                             "old_no": i1 + k + 1, "new_no": j1 + k + 1})
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            a = old_lines[i1 + k] if i1 + k < i2 else None
            b = new_lines[j1 + k] if j1 + k < j2 else None
            if a is not None and b is not None:
                left, right = _inline(a, b)
                kind = "replace"
            else:
                left = _mark(a, "del") if a is not None else ""
                right = _mark(b, "ins") if b is not None else ""
                kind = "delete" if b is None else "insert"
            rows.append({"kind": kind, "old": mark_safe(left), "new": mark_safe(right),
                         "old_no": i1 + k + 1 if a is not None else None,
                         "new_no": j1 + k + 1 if b is not None else None})
    return rows
