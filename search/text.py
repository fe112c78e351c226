"""Chinese text into search tokens without a dictionary: character bigrams.

A document is indexed by every pair of neighbouring Han characters (character bigrams), the
last character of each run of Han characters, and its ASCII words whole. A query asks:

* a run of two or more Han characters: every bigram of the run (an AND); the bigrams may
  occur apart (乡村振兴 and 乡村……农村振兴), so every Han run is also checked as a substring
  of the stored text (``han_runs``);
* one Han character: a prefix ``'规':*``. Every occurrence of a character either starts a
  bigram (the character after it is a Han character) or ends its run (indexed alone), so the
  prefix finds it without indexing every single character;
* an ASCII word or number: a prefix of an indexed word.

A document that contains a Han run of the query as a substring contains every token of it,
so nothing that contains the query is missed (recall 1.0). The stored vector is written as
a ``tsvector`` literal and the query as a ``tsquery`` literal: PostgreSQL's text parser
(which depends on the server locale) never sees the Chinese text.
"""
from __future__ import annotations

import re

_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9A-Za-z]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
MAX_POSITION = 16383


def _runs(text: str) -> list[str]:
    return _RUN.findall((text or "").lower())


def _is_han(run: str) -> bool:
    return _HAN.match(run) is not None


def bigrams(text: str) -> list[str]:
    """The character bigrams of the Han runs of ``text``, in order, and its ASCII words whole."""
    tokens: list[str] = []
    for run in _runs(text):
        if _is_han(run):
            tokens.extend(run[i:i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run)
    return tokens


def index_tokens(text: str) -> list[str]:
    """What a document is indexed by: the bigrams of each Han run and its last character,
    ASCII words whole."""
    tokens: list[str] = []
    for run in _runs(text):
        if _is_han(run):
            tokens.extend(run[i:i + 2] for i in range(len(run) - 1))
            tokens.append(run[-1])
        else:
            tokens.append(run)
    return tokens


def query_tokens(query: str) -> list[str]:
    """What a query asks for: bigrams of each Han run (the character itself for a run of one),
    ASCII words whole."""
    tokens: list[str] = []
    for run in _runs(query):
        if _is_han(run) and len(run) > 1:
            tokens.extend(run[i:i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run)
    return list(dict.fromkeys(tokens))


def han_runs(query: str) -> list[str]:
    """Every Han run of the query (each must occur as a substring of the stored text)."""
    return list(dict.fromkeys(run for run in _runs(query) if _is_han(run)))


def search_text(*parts: str) -> str:
    """The stored text the exact runs are checked against (lower case, parts on own lines)."""
    return "\n".join(part.lower() for part in parts if part)


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
    """The AND of the query's tokens as a ``tsquery`` literal (single Han characters and ASCII
    words as prefixes), or None. A single Han character next to longer tokens (the 号 of
    湖政规〔2025〕17号) is left out: its prefix reads the posting lists of every bigram it
    starts, and the substring check of the stored text finds it anyway (``han_runs``)."""
    tokens = query_tokens(query)
    longer = any(len(token) > 1 for token in tokens)
    parts = [_quote(token) + (":*" if len(token) == 1 or token.isascii() else "")
             for token in tokens if not (longer and len(token) == 1 and not token.isascii())]
    return " & ".join(parts) or None
