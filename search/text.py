"""Chinese text into search tokens without a dictionary: every Han character and every pair
of neighbouring Han characters (character bigrams), ASCII words and numbers whole.

A document that contains a query as a substring contains every token of the query, so an
AND of the query's tokens never misses it (recall 1.0 for Han text). The stored vector is
written as a ``tsvector`` literal, and the query as a ``tsquery`` literal: PostgreSQL's text
parser (which depends on the server locale) never sees the Chinese text.
"""
from __future__ import annotations

import re

_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9A-Za-z]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
MAX_POSITION = 16383


def _runs(text: str) -> list[str]:
    return _RUN.findall((text or "").lower())


def bigrams(text: str) -> list[str]:
    """The character bigrams of the Han runs of ``text``, in order, and its ASCII words whole."""
    tokens: list[str] = []
    for run in _runs(text):
        if _HAN.match(run):
            tokens.extend(run[i:i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run)
    return tokens


def index_tokens(text: str) -> list[str]:
    """What a document is indexed by: bigrams, every single Han character, ASCII words."""
    tokens: list[str] = []
    for run in _runs(text):
        if _HAN.match(run):
            tokens.extend(run)
            tokens.extend(run[i:i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run)
    return tokens


def query_tokens(query: str) -> list[str]:
    """What a query asks for: bigrams of each Han run (the character itself for a run of one),
    ASCII words whole."""
    tokens: list[str] = []
    for run in _runs(query):
        if _HAN.match(run) and len(run) == 1:
            tokens.append(run)
        elif _HAN.match(run):
            tokens.extend(run[i:i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run)
    return list(dict.fromkeys(tokens))


def _quote(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(*weighted: tuple[str, str]) -> str:
    """A ``tsvector`` literal of ``(text, weight)`` parts; each lexeme once, with the highest
    weight it has and the position of its first occurrence."""
    seen: dict[str, str] = {}
    position = 0
    for text, weight in weighted:
        for token in index_tokens(text):
            position += 1
            if token not in seen:
                seen[token] = f"{_quote(token)}:{min(position, MAX_POSITION)}{weight}"
    return " ".join(seen.values())


def tsquery_literal(query: str) -> str | None:
    """The AND of the query's tokens as a ``tsquery`` literal (ASCII words as prefixes), or None."""
    parts = []
    for token in query_tokens(query):
        parts.append(_quote(token) + (":*" if token.isascii() else ""))
    return " & ".join(parts) or None
