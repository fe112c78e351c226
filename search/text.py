"""Chinese text into search tokens without a dictionary: character bigrams.

A document is indexed by every pair of neighbouring Han characters (character bigrams), the
last character of each run of Han characters (with its position), every other Han character it
holds (without one) and its ASCII words whole. A query asks:

* a run of two or more Han characters: every bigram of the run (an AND); the bigrams may
  occur apart (乡村振兴 and 乡村……农村振兴), so every Han run of three or more characters
  is also checked as a substring of the stored text (``unconfirmed_runs``);
* one Han character: that character, a lexeme of its own (once a prefix ``'规':*``, which
  GIN answers by merging the posting lists of every bigram the character starts: 47 ms for
  茶 at 1,000,000 entries before any date window applied);
* an ASCII word or number: a prefix of an indexed word.

A document that contains a Han run of the query as a substring contains every token of it,
so nothing that contains the query is missed (recall 1.0). The stored vector is written as
a ``tsvector`` literal and the query as a ``tsquery`` literal: PostgreSQL's text parser
(which depends on the server locale) never sees the Chinese text.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from operator import add

_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9A-Za-z]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
#: The same runs as ``_RUN``, a Han run in the first group and an ASCII word in the second.
_HAN_OR_WORD = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)|([0-9A-Za-z]+)")
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
    for han, word in _HAN_OR_WORD.findall((text or "").lower()):
        if han:
            tokens.extend(map(add, han, han[1:]))  # the bigrams, in order
            tokens.append(han[-1])
        else:
            tokens.append(word)
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
    """Every Han run of the query (each must occur in the stored text)."""
    return list(dict.fromkeys(run for run in _runs(query) if _is_han(run)))


def unconfirmed_runs(query: str) -> list[str]:
    """The Han runs of the query that the index alone cannot confirm, to be checked as
    substrings of the stored text: runs of three or more characters (their bigrams may occur
    apart) and single characters left out of the ``tsquery`` next to longer tokens. A run of
    two characters is its one bigram, and a lone single character its prefix: the index
    answers those exactly, and the stored text is not read."""
    longer = any(len(token) > 1 for token in query_tokens(query))
    return [run for run in han_runs(query) if len(run) > 2 or (len(run) == 1 and longer)]


def query_words(query: str) -> list[str]:
    """The Han runs and ASCII words of the query, in lower case."""
    return list(dict.fromkeys(_runs(query)))


def search_text(*parts: str) -> str:
    """The stored text the exact runs are checked against (lower case, parts on own lines)."""
    return "\n".join(part.lower() for part in parts if part)


def _quote(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(*weighted: tuple[str, str], published_on: dt.date | None = None,
                     filters: list[str] = ()) -> str:
    """A ``tsvector`` literal of ``(text, weight)`` parts; each lexeme once, with the position of
    its first occurrence and the weight of the part it first occurs in; the ``date_lexemes`` of
    ``published_on``; and the ``filters`` lexemes (``filter_lexemes``). (PostgreSQL sorts the lexemes of a ``tsvector``: their order here does
    not matter. Tokens are Han characters, digits and ASCII letters only: none needs quoting.)"""
    tokens: list[str] = []
    weights: list[str] = []  # the weight of each position
    for text, weight in weighted:
        part = index_tokens(text)
        tokens.extend(part)
        weights.extend([weight] * len(part))
    # the first position of each token: in reverse order, the earliest occurrence is written last
    first = dict(zip(reversed(tokens), range(len(tokens), 0, -1), strict=True))
    if len(tokens) > MAX_POSITION:  # PostgreSQL keeps no position past it
        parts = [f"'{token}':{min(position, MAX_POSITION)}{weights[position - 1]}" for token, position in first.items()]
    else:
        parts = [f"'{token}':{position}{weights[position - 1]}" for token, position in first.items()]
    # every Han character on its own, without a position (a one-character query is then one
    # posting list, not a prefix merging those of every bigram it starts)
    parts.extend(f"'{character}'" for character in sorted(
        set(_HAN.findall("".join(text for text, _weight in weighted))).difference(first)))
    if published_on:
        parts.extend(map(_quote, date_lexemes(published_on)))
    parts.extend(map(_quote, filters))
    return " ".join(parts)


def tsquery_tokens(query: str) -> list[tuple[str, bool]]:
    """The tokens a query asks the index for, each with whether it is a prefix (single Han
    characters and ASCII words). A single Han character next to longer tokens (the 号 of
    湖政规〔2025〕17号) is left out: its prefix reads the posting lists of every bigram it
    starts, and the substring check of the stored text finds it anyway (``unconfirmed_runs``)."""
    tokens = query_tokens(query)
    longer = any(len(token) > 1 for token in tokens)
    return [(token, token.isascii())
            for token in tokens if not (longer and len(token) == 1 and not token.isascii())]


def tsquery_literal(query: str) -> str | None:
    """The AND of the query's ``tsquery_tokens`` as a ``tsquery`` literal, or None."""
    parts = [_quote(token) + (":*" if prefix else "") for token, prefix in tsquery_tokens(query)]
    return " & ".join(parts) or None


#: A token in at least this share of the entries is not asked of the index within a date
#: window: decoding its posting list (every entry holding it) costs more than checking the
#: window's rows for the Han run as a substring.
COMMON_SHARE = 0.8


#: Reading one row of a window costs about as much as decoding this many entries of a posting list
#: (measured at 1,000,000 entries: ~4.5 µs a row fetched, ~0.075 µs a posting decoded).
POSTINGS_PER_ROW = 60


def common_share(window_rows: float, entries: float) -> float:
    """The share of the entries above which a word's posting list costs more to decode than the
    ``window_rows`` rows of a date window cost to read and check (``POSTINGS_PER_ROW``)."""
    return POSTINGS_PER_ROW * window_rows / entries if entries else COMMON_SHARE


class Shares(dict):
    """ANALYZE's share of the entries holding each of its most common lexemes (lexeme → share)."""

    @cached_property
    def least(self) -> float:
        return min(self.values(), default=0.0)

    @cached_property
    def by_first_character(self) -> dict[str, float]:
        sums: dict[str, float] = {}
        for lexeme, share in self.items():
            sums[lexeme[:1]] = sums.get(lexeme[:1], 0.0) + share
        return sums


def token_share(shares: Shares | None, token: str, prefix: bool = False) -> float:
    """An upper bound of the share of entries holding ``token`` (a lexeme ANALYZE does not
    list is rarer than any it lists; a prefix is at most the sum of the lexemes it starts);
    0 without statistics."""
    if not shares:
        return 0.0
    if prefix:
        total = (shares.by_first_character.get(token, 0.0) if len(token) == 1 else
                 sum(share for lexeme, share in shares.items() if lexeme.startswith(token)))
        return min(1.0, total or shares.least)
    return shares.get(token, shares.least)


@dataclass(frozen=True)
class Lookup:
    """How a query is looked for: ``tokens`` (each with whether it is a prefix) asked of the
    index, and ``runs`` checked as substrings of the stored text of the entries it returns."""
    tokens: list[tuple[str, bool]]
    runs: list[str]

    def tsquery(self) -> str | None:
        """The AND of the tokens as a ``tsquery`` literal (None: no token)."""
        return " & ".join(_quote(token) + (":*" if prefix else "") for token, prefix in self.tokens) or None


def lookup(query: str, shares: Shares | None = None, *, windowed: bool = False,
           common: float = COMMON_SHARE) -> Lookup:
    """The tokens and runs of ``query`` (see ``Lookup``). Without ``shares``: every bigram of
    every Han run, each single character as a prefix (``tsquery_tokens``), and the runs the
    index cannot confirm (``unconfirmed_runs``). With the index's ``shares``, a run of three or
    more characters asks the index for its rarest bigram only (the substring check confirms
    the rest); and within a date window (``windowed``) a token in ``COMMON_SHARE`` of the
    entries or more — or, for a word (not a one-character prefix), in ``common`` of them (a
    narrow window: ``common_share``) — is not asked at all: its run is checked as a substring
    instead."""
    if not shares:
        return Lookup(tsquery_tokens(query), unconfirmed_runs(query))
    longer = any(len(token) > 1 for token in query_tokens(query))
    tokens: list[tuple[str, bool]] = []
    runs: list[str] = []
    for run in dict.fromkeys(_runs(query)):
        if not _is_han(run):
            tokens.append((run, True))
        elif len(run) == 1 and longer:
            runs.append(run)
        else:
            prefix = False  # a lone character is a lexeme of its own
            token = run if len(run) <= 2 else min((run[i:i + 2] for i in range(len(run) - 1)),
                                                  key=lambda gram: token_share(shares, gram))
            if windowed and token_share(shares, token, prefix) >= (COMMON_SHARE if prefix else min(common, COMMON_SHARE)):
                runs.append(run)
                continue
            tokens.append((token, prefix))
            if len(run) > 2:
                runs.append(run)
    return Lookup(tokens, runs)


# ================================================================== publication dates in the index
#: Date lexemes start with "@": no word of a text or a query does, and no prefix query
#: (an ASCII word or a Han character) can reach them.
DAY, MONTH, YEAR = "@d", "@m", "@y"
#: Years after this one that a window still covers (an entry dated ahead of today).
YEARS_AHEAD = 2


def date_lexemes(day: dt.date) -> list[str]:
    """The day, month and year an entry was published, as lexemes (``@d20261127``,
    ``@m202611``, ``@y2026``): the GIN index can then find the entries holding a term *and*
    published since a day, without reading the rows of the other days."""
    year, month = f"{day.year:04d}", f"{day.month:02d}"  # not strftime: ten times slower
    return [f"{DAY}{year}{month}{day.day:02d}", f"{MONTH}{year}{month}", f"{YEAR}{year}"]


#: What the search filters by, as lexemes: the entry's kind, its 年度 (``year``), department and
#: status. A filter is then asked of the GIN index with the query (``'茶':* & '@n2024'``), so that
#: a narrow filter reads only its own matches instead of every match of the term.
KIND, ENTRY_YEAR, DEPARTMENT, STATUS = "@k", "@n", "@u", "@s"


def filter_lexemes(*, kind: str = "", year: int | None = None, department_id: int | None = None,
                   status: str = "") -> list[str]:
    """The lexemes of an entry's (or a search's) kind, year, department and status (those given)."""
    return [f"{prefix}{value}" for prefix, value in ((KIND, kind), (ENTRY_YEAR, year), (DEPARTMENT, department_id),
                                                     (STATUS, status)) if value not in (None, "")]


def since_lexemes(start: dt.date, today: dt.date) -> list[str]:
    """The fewest date lexemes that together cover every day from ``start`` on: the rest of
    its month day by day, the rest of its year month by month, then whole years (up to
    ``YEARS_AHEAD`` after ``today``). At most 31 + 11 + a few."""
    whole_month, whole_year = start.day == 1, start.day == 1 and start.month == 1
    lexemes = [] if whole_month else [
        f"{DAY}{start.year}{start.month:02d}{day:02d}"
        for day in range(start.day, calendar.monthrange(start.year, start.month)[1] + 1)]
    lexemes += [] if whole_year else [
        f"{MONTH}{start.year}{month:02d}" for month in range(start.month + (0 if whole_month else 1), 13)]
    lexemes += [f"{YEAR}{year}" for year in range(start.year + (0 if whole_year else 1),
                                                  max(today.year, start.year) + YEARS_AHEAD + 1)]
    return lexemes


def coarse_start(start: dt.date, today: dt.date) -> dt.date:
    """``start``, or the first day of its month (more than a month back) or of its year (more
    than 400 days back): a window that starts earlier still holds the newest matches, and
    its lexemes are fewer, so the GIN index merges fewer posting lists."""
    back = (today - start).days
    if back > 400:
        return start.replace(month=1, day=1)
    if back > 31:
        return start.replace(day=1)
    return start


def narrowed(tsquery: str | None, filters: list[str]) -> str | None:
    """``tsquery`` (if any) and every one of the ``filters`` lexemes."""
    parts = ([f"({tsquery})"] if tsquery else []) + list(map(_quote, filters))
    return " & ".join(parts) or None


def within(tsquery: str | None, lexemes: list[str]) -> str:
    """``tsquery`` (if any) and any of the date ``lexemes``."""
    dates = f"({' | '.join(map(_quote, lexemes))})"
    return f"({tsquery}) & {dates}" if tsquery else dates
