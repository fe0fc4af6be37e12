"""Search: messages found by their words, only where the searcher may read (Stream's client.search).

`search_messages` is the one function: the channels come from `readable_channels` (the filter
channels.query takes, compiled by chat.services.channel_filters; never a channel the searcher
cannot read), at most MAX_CHANNELS of them; the messages from the full-text index
(chat.search_index: FTS5 on SQLite, tsvector + GIN on PostgreSQL) and the message filter (the same
compiler, over the fields below). Deleted, system and ephemeral messages never match (a soft delete
also empties the text the index holds). Ranked by relevance, then the newest first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Count, F, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone

from chat import frames
from chat.auth import Actor
from chat.exceptions import InvalidField
from chat.models import Channel, Member, Message
from chat.search_index import FTS_TABLE, PG_COLUMN
from chat.services import permissions
from chat.services.channel_filters import readable_channels
from chat.services.channels import message_rows
from chat.services.filters import (
    COMPARISONS,
    Field,
    as_bool,
    as_int,
    as_text,
    as_time,
    column,
    compile_filter,
    compile_sort,
)
from chat.services.messages import shape_messages
from chat.shapes import channel_shape

__all__ = [
    "CANDIDATES",
    "DEFAULT_LIMIT",
    "MAX_CHANNELS",
    "MAX_TERMS",
    "TextQuery",
    "message_fields",
    "search_messages",
]

MAX_CHANNELS = 500  # Stream's: a search looks in at most 500 channels
DEFAULT_LIMIT = 100  # Stream's default page of results
MAX_TERMS = 16  # words of one text query
# A search by relevance ranks the newest this many matches. A rare word has fewer, and is ranked
# whole; a word in a large share of a million messages would have hundreds of thousands ranked, a
# second or more (BENCHMARKS.md, search), for a ranking that says little: among the newest 2,000,
# the most relevant first.
CANDIDATES = 2000
SEARCHED_TYPES = ("regular", "reply")  # never deleted, system, error or ephemeral messages
_WORD = re.compile(r"[^\W_]+")  # letters and digits: how both indexes split text into words


@dataclass(frozen=True, slots=True)
class TextQuery:
    """The words a text query needs, every one of them; with `prefix`, each as a word's start."""

    terms: tuple[str, ...]
    prefix: bool = False

    @classmethod
    def parse(cls, text: str, prefix: bool = False) -> TextQuery:
        """The words of `text` (letters and digits, lower-cased, at most MAX_TERMS); maybe none."""
        return cls(tuple(dict.fromkeys(_WORD.findall(text.lower())))[:MAX_TERMS], prefix)

    def fts5(self) -> str:
        """The FTS5 MATCH expression: each word quoted (so none is an operator), all required."""
        star = "*" if self.prefix else ""
        return " ".join(f'"{term}"{star}' for term in self.terms)

    def tsquery(self) -> str:
        """The to_tsquery('simple', ...) expression: each word quoted, all required."""
        star = ":*" if self.prefix else ""
        return " & ".join(f"'{term}'{star}" for term in self.terms)


def _matches(text: TextQuery) -> Q:
    """The messages whose text has the words, as a filter (for a text condition inside $or/$and)."""
    if not text.terms:
        return Q(pk__in=[])  # no word: nothing has it
    if connection.vendor == "postgresql":
        sql = f"{Message._meta.db_table}.{PG_COLUMN} @@ to_tsquery('simple', %s)"
        return Q(RawSQL(sql, [text.tsquery()], output_field=BooleanField()))
    found = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [text.fts5()])
    return Q(seq__in=found)


def _ranked(rows: QuerySet[Message], text: TextQuery, newest: int | None = None) -> QuerySet[Message]:
    """`rows` with the words, annotated with `relevance` (higher is better), through the index.

    With `newest`, only the newest that many matches are ranked: a word in a large share of the
    messages would otherwise have every one of its matches ranked (CANDIDATES says why).
    """
    table = Message._meta.db_table
    if connection.vendor == "postgresql":
        query = text.tsquery()
        vector = f"{table}.{PG_COLUMN}"
        matching = rows.filter(
            RawSQL(f"{vector} @@ to_tsquery('simple', %s)", [query], output_field=BooleanField())
        )
        if newest is not None:  # a query of its own: the raw SQL names the table, not a subquery's alias
            latest = list(matching.order_by("-seq").values_list("seq", flat=True)[:newest])
            matching = Message.objects.filter(seq__in=latest)
        return matching.annotate(relevance=RawSQL(f"ts_rank({vector}, to_tsquery('simple', %s))", [query]))
    # FTS5: join the index on rowid = seq, so the MATCH drives the query and bm25 ranks it.
    tables = [FTS_TABLE]
    where = [f"{FTS_TABLE}.rowid = {table}.seq", f"{FTS_TABLE} MATCH %s"]
    params: list[Any] = [text.fts5()]
    if newest is not None:  # the index hands its matches out newest first (rowid = seq, descending)
        by_age = rows.extra(tables=tables, where=where, params=params, order_by=[f"-{FTS_TABLE}.rowid"])
        latest = list(by_age.values_list("seq", flat=True)[:newest])
        if not latest:
            return Message.objects.none().annotate(relevance=Value(0.0))
        # Ranked again from the index, from the oldest of them on only: bm25 needs the MATCH.
        where, params = [*where, f"{FTS_TABLE}.rowid >= %s"], [*params, min(latest)]
        rows = Message.objects.filter(seq__in=latest)
    joined = rows.extra(tables=tables, where=where, params=params)
    ranked: QuerySet[Message] = joined.annotate(relevance=RawSQL(f"-bm25({FTS_TABLE})", []))
    return ranked


# The message filter: Stream's keys, compiled by chat.services.filters as every query's are.


def _text(operator: str, value: Any, where: str) -> Q:
    if operator == "$eq":
        return Q(text=as_text(value, where))
    return _matches(TextQuery.parse(as_text(value, where), prefix=operator == "$autocomplete"))


def _parent(operator: str, value: Any, where: str) -> Q:
    if operator == "$exists":
        return ~Q(parent_id="") if as_bool(value, where) else Q(parent_id="")
    return Q(parent_id=as_text(value, where))


def _attachments(operator: str, value: Any, where: str) -> Q:
    none = Q(attachments=[])
    return ~none if as_bool(value, where) else none


def _mentioned(operator: str, value: Any, where: str) -> Q:
    through = Message.mentioned_users.through.objects.filter(chatuser_id=as_text(value, where))
    return Q(seq__in=through.values("message_id"))


def _pinned(operator: str, value: Any, where: str) -> Q:
    pinned = Q(pinned_at__isnull=False) & (Q(pin_expires__isnull=True) | Q(pin_expires__gt=timezone.now()))
    return pinned if as_bool(value, where) else ~pinned


def message_fields() -> dict[str, Field]:
    """The keys message_filter_conditions takes, and how each becomes a filter."""
    ids = frozenset({"$eq", "$ne", "$in", "$nin"})
    return {
        "text": Field(frozenset({"$q", "$autocomplete", "$eq"}), _text),
        "id": Field(ids, column("message_id", as_text)),
        "user.id": Field(ids, column("user_id", as_text)),
        "type": Field(ids, column("type", as_text)),
        "parent_id": Field(frozenset({"$eq", "$exists"}), _parent),
        "reply_count": Field(COMPARISONS, column("reply_count", as_int)),
        "created_at": Field(COMPARISONS, column("created_at", as_time)),
        "updated_at": Field(COMPARISONS, column("updated_at", as_time)),
        "attachments": Field(frozenset({"$exists"}), _attachments),
        "mentioned_users.id": Field(frozenset({"$contains"}), _mentioned),
        "pinned": Field(frozenset({"$eq"}), _pinned),
    }


def _ranked_text(conditions: dict[str, Any]) -> tuple[TextQuery | None, dict[str, Any]]:
    """The top-level `text` $q / $autocomplete of a message filter (it ranks the results), and the rest."""
    text = conditions.get("text")
    if not isinstance(text, dict) or len(text) != 1 or next(iter(text)) not in ("$q", "$autocomplete"):
        return None, conditions
    ((operator, value),) = text.items()
    where = f"message_filter_conditions.text.{operator}"
    rest = {k: v for k, v in conditions.items() if k != "text"}
    return TextQuery.parse(as_text(value, where), prefix=operator == "$autocomplete"), rest


# Paging.


MAX_OFFSET = 1000  # Stream's: results past the first 1,000 are not paged to


def _token(offset: int) -> str:
    """A page's `next` / `previous`: where it starts (the schema's pattern, `o<offset>`)."""
    return f"o{offset}"


def _offset_of(token: str) -> int:
    return int(token[1:])


def search_messages(
    actor: Actor,
    filter_conditions: dict[str, Any] | None,
    query: str | None = None,
    message_filter_conditions: dict[str, Any] | None = None,
    limit: int | None = None,
    offset: int | None = None,
    sort: Sequence[frames.SearchSort] | None = None,
    next_page: str | None = None,
) -> frames.SearchResults:
    """The messages matching the search in the channels the actor may read, as Stream answers them."""
    limit = DEFAULT_LIMIT if limit is None else limit
    start = _offset_of(next_page) if next_page is not None else (offset or 0)
    channels = readable_channels(actor, filter_conditions).filter(type__in=permissions.searchable_types())
    keys = channels.values("pk")
    if keys[MAX_CHANNELS : MAX_CHANNELS + 1].exists():
        raise InvalidField(
            f"filter_conditions match more than {MAX_CHANNELS} channels: narrow them (a search looks in"
            f" at most {MAX_CHANNELS})"
        )
    text, rest = _ranked_text(message_filter_conditions or {})
    condition = compile_filter(rest, message_fields(), "message_filter_conditions")
    if query is not None:  # with a message filter's text too, that one only filters
        if text is not None:
            condition &= _matches(text)
        text = TextQuery.parse(query)
    if (text is not None and not text.terms) or start > MAX_OFFSET:
        return frames.SearchResults.model_construct(results=[])
    # The channels go in as a subquery: the index drives the query, each match checked against them.
    rows = Message.objects.filter(channel_id__in=keys, type__in=SEARCHED_TYPES, deleted_at__isnull=True)
    rows = rows.filter(condition)
    expressions: dict[str, Any] = {
        "created_at": lambda: F("created_at"),
        "updated_at": lambda: F("updated_at"),
        "reply_count": lambda: F("reply_count"),
    }
    default: list[tuple[str, int]] = [("created_at", -1)]
    if text is not None:
        by_relevance = not sort or sort[0].field == frames.SearchSortField.relevance
        rows = _ranked(rows, text, max(CANDIDATES, start + limit + 1) if by_relevance else None)
        expressions["relevance"] = lambda: F("relevance")
        default.insert(0, ("relevance", -1))
    elif sort:  # no words, no relevance: what follows it sorts
        sort = [s for s in sort if s.field != frames.SearchSortField.relevance]
    ordered = rows.order_by(*compile_sort(sort, expressions, default, "seq"))
    page = list(ordered.values_list("seq", flat=True)[start : start + limit + 1])
    more = len(page) > limit
    return frames.SearchResults.model_construct(
        results=[frames.SearchResult.model_construct(message=m) for m in _shaped(page[:limit], actor)],
        next=_token(start + limit) if more and start + limit <= MAX_OFFSET else None,
        previous=_token(max(start - limit, 0)) if start > 0 else None,
    )


def _shaped(seqs: list[int], actor: Actor) -> list[frames.Message]:
    """The messages as Stream's search answers them (each with its channel), in the order given."""
    if not seqs:
        return []
    rows = {row.seq: row for row in message_rows().filter(seq__in=seqs)}
    keys = {row.channel_id for row in rows.values()}
    channels = {c.pk: c for c in Channel.objects.select_related("created_by").filter(pk__in=keys)}
    counts = dict(
        Member.objects.filter(channel_id__in=keys)
        .values("channel_id")
        .annotate(n=Count("pk"))
        .values_list("channel_id", "n")
    )
    shapes = {pk: channel_shape(channel, counts.get(pk, 0)) for pk, channel in channels.items()}
    ordered = [rows[seq] for seq in seqs if seq in rows]
    messages = shape_messages(ordered, {pk: c.cid for pk, c in channels.items()}, actor.id)
    for row, message in zip(ordered, messages, strict=True):
        message.channel = shapes[row.channel_id]
    return messages
