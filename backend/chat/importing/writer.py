"""Writes valid records in batches, one transaction a batch, so that a run stopped anywhere can be
run again to the same end.

Records wait in one buffer per type; when a buffer is full, it and every buffer of a type it may
refer to (rules.KINDS order: users, then channels, members, messages, reactions) are written in
one transaction. Ids are kept (users, channels, messages; reactions by message, user and type),
so a record already stored is found by its id: the same content is skipped, different content
fails (`--mode insert`) or overwrites it (`--mode upsert`). A batch commits whole or not at all;
the counts and failures it reports are kept only once it has committed.

What a record implies on its own rows is written with it (a message's mentions and quote, a
distinct channel's members, a member's read mark and ban). What it implies on other rows, and
what needs the whole file, is recomputed at the end from what is stored (chat.importing.derived),
for every channel the run touched, so it is idempotent and a rerun settles it: mutes and app-wide
bans (their users may come later in the file), the order of a channel whose messages came out of
time order (seq follows created_at), each parent's reply_count and thread_participants, each
message's reaction_groups, each channel's last_message_at, and each read mark as the seq unread
counts start from. Until that last step, those stay as they were. A message's threads and
reactions can also come with it, from a first pass over the file (chat.importing.ahead): when
every message and reaction of the run went in as a new row and the first pass was checked right,
the closing passes over them are not needed, and are not run.

A large import into tables it outgrows (`aside`) writes them without their secondary indexes
(chat.importing.indexes), in larger batches, and puts the indexes back at the end, after the
passes that rewrite messages and before those that need the indexes.

PostgreSQL gets its new messages and reactions by COPY, with seqs reserved from the sequence in
file order: after a look-up of the ids already taken, or (aside) straight away, the look-up made
only when a taken id fails the COPY; SQLite by INSERT ... ON CONFLICT DO NOTHING, the new rows'
seqs told by the statement itself (sql.insert_numbered). Either way a row already there is never
written twice.
"""

from __future__ import annotations

import itertools
import json
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import JSONField, Model

from chat.importing import derived, indexes, sql
from chat.importing import records as R
from chat.importing.ahead import Ahead
from chat.importing.attachments import URL_FIELDS, Fetcher, clean
from chat.importing.report import Report
from chat.importing.rules import KINDS, Record, cid_of, user_id_of
from chat.models import Ban, Channel, ChatUser, Member, Message, Mute, Reaction, Read

__all__ = [
    "ASIDE_BATCH",
    "BATCH",
    "Prepared",
    "PreparedReaction",
    "Writer",
    "prepare",
    "prepare_reaction",
    "prepared",
]

logger = logging.getLogger(__name__)

BATCH = 2000  # records of one type per transaction: large enough to amortise, small enough to redo
ASIDE_BATCH = 10_000  # the same while the indexes are set aside: a transaction costs less the more it holds
_CACHE = 200_000  # ids held in memory at most per cache; past it the cache starts again

USER_COLUMNS = ("id", "name", "image", "role", "deactivated_at", "custom", "created_at", "updated_at")
CHANNEL_COLUMNS = (
    "cid",
    "type",
    "channel_id",
    "name",
    "image",
    "custom",
    "created_by_id",
    "created_at",
    "updated_at",
    "last_message_at",
)
MEMBER_COLUMNS = ("channel_id", "user_id", "is_owner", "channel_role", "created_at", "updated_at")
MESSAGE_COLUMNS = (
    "message_id",
    "channel_id",
    "user_id",
    "text",
    "type",
    "parent_id",
    "show_in_channel",
    "quoted_id",
    "attachments",
    "pinned_at",
    "pinned_by_id",
    "pin_expires",
    "custom",
    "created_at",
    "updated_at",
    "deleted_at",
)
# What the closing passes derive (chat.importing.derived), or the first pass gives (chat.importing.ahead).
DERIVED_COLUMNS = ("reply_count", "thread_participants", "reaction_groups")
REACTION_COLUMNS = ("message_id", "user_id", "type", "score", "created_at", "updated_at")
READ_COLUMNS = ("channel_id", "user_id", "last_read", "last_read_seq", "last_read_message_id")
# Fields of a message record that are columns or derived; everything else is custom data.
_MESSAGE_FIELDS = frozenset(R.MessageData.model_fields)  # html and silent: kept when set
_CHANNEL_FIELDS = frozenset(
    {
        "type",
        "id",
        "member_ids",
        "created_by",
        "name",
        "image",
        "created_at",
        "updated_at",
        "last_message_at",
        "bans",
    }
)
_USER_FIELDS = frozenset(
    {
        "id",
        "name",
        "image",
        "role",
        "deactivated_at",
        "created_at",
        "updated_at",
        "user_mutes",
        "banned",
        "ban_expires",
        "ban",
    }
)


def _defaults(model: type[Model], given: Sequence[str]) -> tuple[list[str], tuple[Any, ...]]:
    """The model's other columns (added by other features) and the default each one gets."""
    columns: list[str] = []
    values: list[Any] = []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.attname in given:
            continue
        columns.append(f.column)
        default = f.get_default()
        values.append(
            json.dumps(default) if isinstance(f, JSONField) else f.get_db_prep_save(default, connection)
        )
    return columns, tuple(values)


_KEPT: dict[tuple[type[Any], frozenset[str]], tuple[str, ...]] = {}


def _custom(model: Any, known: frozenset[str], more: dict[str, Any] | None = None) -> dict[str, Any]:
    """A record's custom data: its unknown fields, and the known ones Jatte has no column for."""
    extra = model.model_extra
    found = {k: v for k, v in extra.items() if v is not None} if extra else {}
    kept = _KEPT.get((type(model), known))
    if kept is None:
        kept = _KEPT[(type(model), known)] = tuple(n for n in type(model).model_fields if n not in known)
    for name in kept:
        value = getattr(model, name)
        if value is not None:
            found[name] = value.isoformat() if isinstance(value, datetime) else value
    if more:
        found.update(more)
    return found


class Prepared(NamedTuple):
    """What a message record gives the writer before any lookup, laid out as its row: fields 0 to
    18 are MESSAGE_COLUMNS then DERIVED_COLUMNS, ready for the database, but for the channel's cid
    where its pk goes and the quoted message's id where its seq goes (`row` puts those in). Then
    what the writer checks and compares, as Python values. Strings, numbers and small containers
    only, no datetime (`tail` reads the times back): a reader process pickles a million of these,
    a datetime pickled costs more than the rest of the tuple, and a flat tuple is pickled and
    unpickled fastest (py-spy)."""

    id: str
    cid: str
    author: str
    text: str
    kind: str
    parent_id: str
    shown: bool
    quoted_id: str | None
    attachments_json: str
    pinned_at: str | None
    pinned_by: str | None
    pin_expires: str | None
    custom_json: str
    created_at: str
    updated_at: str
    deleted_at: str | None
    reply_count: int  # DERIVED_COLUMNS, from the first pass (or a message's own defaults)
    thread_participants: str
    reaction_groups: str
    others: tuple[tuple[str, str], ...]  # (what, user id) that must exist besides the author
    mentions: tuple[str, ...]
    attachments: list[dict[str, Any]] | None  # None: none (one object less to pickle)
    custom: dict[str, Any] | None  # None: none
    given: tuple[bool, bool, bool]  # whether the record gave created_at, updated_at, deleted_at

    def row(self, pk: int, quoted_seq: int | None, attachments: str) -> tuple[Any, ...]:
        """MESSAGE_COLUMNS and DERIVED_COLUMNS, ready for the database."""
        return (self[0], pk, *self[2:7], quoted_seq, attachments, *self[9:19])

    def tail(self, adapt: sql.Adapt) -> tuple[Any, ...]:
        """pinned_at, pinned_by_id, pin_expires, custom, created_at, updated_at, deleted_at as Python values."""
        read = adapt.read_time
        return (
            read(self.pinned_at),
            self.pinned_by,
            read(self.pin_expires),
            self.custom or {},
            read(self.created_at),
            read(self.updated_at),
            read(self.deleted_at),
        )


_DELETED, _SYSTEM = R.MessageType.deleted, R.MessageType.system
_WITH_DERIVED = frozenset({"message", "reaction"})  # the records DERIVED_COLUMNS follow from
_ALONE = (0, "[]", "{}")  # DERIVED_COLUMNS of a message without replies or reactions


def prepare(
    data: R.MessageData, now: datetime, adapt: sql.Adapt, ahead: Ahead | None = None, line: int = 0
) -> Prepared:
    """A message record's columns, from the record alone and what the first pass found (`ahead`,
    told of the record on `line`); safe to run off the writer's thread."""
    parent_id = data.parent_id or ""
    kind_given = data.type
    deleted = kind_given == _DELETED or data.deleted_at is not None
    shown = bool(parent_id and data.show_in_channel)
    if deleted:
        kind = "deleted"
    elif kind_given == _SYSTEM:
        kind = "system"
    else:
        kind = "reply" if parent_id and not shown else "regular"
    attachments = clean(data.attachments) if data.attachments and not deleted else []
    more: dict[str, Any] | None = None
    if data.html:
        more = {"html": data.html}
    if data.silent:
        more = {**(more or {}), "silent": True}
    custom = _custom(data, _MESSAGE_FIELDS, more)
    time = adapt.time
    created_given, updated_given = data.created_at, data.updated_at
    created = time(created_given or now)
    updated = time(updated_given) if updated_given is not None else created
    deleted_at = None
    if deleted:
        deleted_given = data.deleted_at
        deleted_at = time(deleted_given) if deleted_given is not None else updated
    pinned_at: str | None = None
    pinned_by = pin_expires = None
    others: tuple[tuple[str, str], ...] = ()
    mentions: tuple[str, ...] = ()
    if data.mentioned_users_ids:
        mentions = tuple(dict.fromkeys(u.root for u in data.mentioned_users_ids))
        others = tuple(("mentioned user", u) for u in mentions)
    if data.pinned_at is not None:
        pinned_by, pin_expires = data.pinned_by_id, time(data.pin_expires)
        pinned_at = time(data.pinned_at)
        if pinned_by:
            others += (("pinned_by user", pinned_by),)
    user = data.user
    author = user if isinstance(user, str) else user.id
    derived = _ALONE if ahead is None else ahead.of_message(data.id, parent_id, author, line)
    return _PREPARED(
        Prepared,
        (
            data.id,
            cid_of(data.channel_type, data.channel_id, data.channel_member_ids),
            author,
            "" if deleted else data.text or "",
            kind,
            parent_id,
            shown,
            data.quoted_message_id,
            adapt.json(attachments) if attachments else adapt.empty_list,
            pinned_at,
            pinned_by,
            pin_expires,
            adapt.json(custom) if custom else adapt.empty_dict,
            created,
            updated,
            deleted_at,
            *derived,
            others,
            mentions,
            attachments or None,
            custom or None,
            (created_given is not None, updated_given is not None, data.deleted_at is not None),
        ),
    )


_PREPARED = tuple.__new__  # a NamedTuple made from one tuple, without its __new__'s keyword handling


class PreparedReaction(NamedTuple):
    """A reaction record's columns but its message's seq, adapted (no datetime, as Prepared)."""

    message_id: str
    user_id: str
    type: str
    score: int
    row: tuple[Any, Any]  # created_at, updated_at adapted
    given: tuple[bool, bool]  # whether the record gave score, updated_at


def prepare_reaction(data: R.ReactionData, adapt: sql.Adapt, ahead: Ahead | None = None) -> PreparedReaction:
    created = adapt.time(data.created_at)
    updated = data.updated_at
    score = data.score
    prepared = PreparedReaction(
        data.message_id,
        data.user_id,
        data.type,
        1 if score is None else score,
        (created, created if updated is None else adapt.time(updated)),
        (score is not None, updated is not None),
    )
    if ahead is not None:
        ahead.of_reaction(prepared.message_id, prepared.user_id, prepared.type, prepared.score, prepared.row)
    return prepared


def prepared(record: Record, now: datetime, adapt: sql.Adapt, ahead: Ahead | None = None) -> Any:
    """What `prepare` gives for a message or reaction record (None for other types)."""
    if record.kind == "message":
        return prepare(record.data, now, adapt, ahead, record.line)
    if record.kind == "reaction":
        return prepare_reaction(record.data, adapt, ahead)
    return None


@dataclass
class _Flush:
    """What a batch reported, kept until it commits."""

    counts: list[tuple[str, str, int]] = field(default_factory=list)
    failures: list[tuple[int, str, str]] = field(default_factory=list)


class Writer:
    """Takes valid records (`add`) and stores them; `finish` writes the rest and what needs the whole file."""

    def __init__(
        self,
        report: Report,
        now: datetime,
        mode: str = "insert",
        batch: int = BATCH,
        fetcher: Fetcher | None = None,
        aside: bool = False,
        fresh: bool = False,
    ) -> None:
        self.report = report
        self.now = now
        self.upsert = mode == "upsert"
        self.batch = batch
        self.fetcher = fetcher
        # The secondary indexes are set aside (chat.importing.indexes): `finish` puts them back.
        self.aside = aside
        self.fresh = fresh  # the tables were empty: every message there at the end is this run's
        self._all_newest = False  # every stored channel's newest message is in _newest
        # Whether the messages were written with their final DERIVED_COLUMNS, so that the closing
        # passes over threads and reactions are not needed: the reader's first pass said so
        # (`ahead_exact`), and every message and reaction went in as a new row (`_clean`).
        self.ahead_exact = False
        self._clean = True
        self.first_pass = False  # the reader reads the file once first (it sets ahead_exact at the end)
        self.early: indexes.Builder | None = None  # the messages' indexes, made while reactions are written
        self._early_tried = False
        self.adapt = sql.Adapt()
        self.buffers: dict[str, list[Record]] = {kind: [] for kind in KINDS}
        # The line each channel's record was read on: a member or message before it is refused.
        self.channel_lines: dict[str, int] = {}
        self._channels: dict[str, tuple[int, str]] = {}  # cid -> (pk, created_by), stored
        self._users: set[str] = set()  # ids known to be stored
        # Messages this run stored, the latest _CACHE at most: id -> (seq, channel pk, parent id).
        self._recent: dict[str, tuple[int, int, str]] = {}
        self._future_bans: list[tuple[int, R.FutureChannelBanData]] = []
        self._mutes: list[tuple[int, str, str, datetime]] = []  # line, user, target, when
        self._bans: list[tuple[int, str, R.Ban]] = []  # line, user, app-wide ban
        self._newest: dict[int, Any] = {}  # channel pk -> created_at of its newest message, this run
        self.disordered: set[int] = set()  # channels whose messages arrived out of time order
        self._recheck: set[int] = set()  # channels with messages stored before this run
        self.touched: set[int] = set()  # channels whose read marks are settled at the end
        self._flush = _Flush()
        self._future_applied: set[tuple[str, str]] = (
            set()
        )  # (creator, target) of future bans that banned someone
        self._written = 0  # rows imported so far
        self._analyzed = 0  # rows imported when the tables were last analysed
        self.channel_mutes_dropped = 0  # users whose channel mutes were left out (Jatte has none)
        self._message_defaults = _defaults(Message, ("seq", *MESSAGE_COLUMNS, *DERIVED_COLUMNS))
        self._channel_defaults = _defaults(Channel, ("id", *CHANNEL_COLUMNS))
        self._user_defaults = _defaults(ChatUser, USER_COLUMNS)
        self._member_defaults = _defaults(Member, ("id", *MEMBER_COLUMNS))
        self._reaction_defaults = _defaults(Reaction, ("id", *REACTION_COLUMNS))
        self._read_defaults = _defaults(Read, ("id", *READ_COLUMNS))

    # Taking records and writing batches.

    def add(self, record: Record) -> None:
        buffer = self.buffers[record.kind]
        buffer.append(record)
        if len(buffer) >= self.batch:
            self.flush(record.kind)

    def flush(self, upto: str = KINDS[-1]) -> None:
        """Writes the buffers of `upto` and every type before it, in one transaction."""
        kinds = KINDS[: KINDS.index(upto) + 1]
        batches = {kind: self.buffers[kind] for kind in kinds if self.buffers[kind]}
        if not batches:
            return
        for kind in batches:
            self.buffers[kind] = []
        marks = (len(self._future_bans), len(self._mutes), len(self._bans))
        try:
            with transaction.atomic():
                for kind, batch in batches.items():
                    self._write(kind, batch)
        except (OperationalError, InterfaceError):
            raise  # the database itself is unavailable: the run stops, a rerun completes it
        except DatabaseError as refused:
            logger.warning("a batch was refused (%s); writing its records one at a time", refused)
            self._clean = False
            self._forget(marks)
            for kind, batch in batches.items():
                for record in batch:
                    self._write_alone(kind, record)
            return
        self._commit()
        if "reaction" in batches and self.aside and self.first_pass and self._clean and not self._early_tried:
            # The messages are all written (Stream's order) with their final threads and reactions:
            # their indexes can be made now, beside the reactions, once this batch has committed.
            self._early_tried = True
            self.early = indexes.make_early(Message)

    def _write(self, kind: str, batch: list[Record]) -> None:
        writers: dict[str, Callable[[list[Record]], None]] = {
            "user": self._write_users,
            "device": self._write_devices,
            "future_channel_ban": self._write_future_bans,
            "channel": self._write_channels,
            "member": self._write_members,
            "message": self._write_messages,
            "reaction": self._write_reactions,
        }
        writers[kind](batch)

    def _write_alone(self, kind: str, record: Record) -> None:
        marks = (len(self._future_bans), len(self._mutes), len(self._bans))
        try:
            with transaction.atomic():
                self._write(kind, [record])
        except (OperationalError, InterfaceError):
            raise
        except DatabaseError as refused:
            self._forget(marks)
            self.report.fail(record.line, kind, f"the database refused it: {str(refused).strip()}")
            return
        self._commit()

    def _forget(self, marks: tuple[int, int, int]) -> None:
        """Drops what a rolled-back batch left in memory."""
        self._flush = _Flush()
        self._channels.clear()
        self._users.clear()
        self._recent.clear()
        del self._future_bans[marks[0] :], self._mutes[marks[1] :], self._bans[marks[2] :]

    def _commit(self) -> None:
        done, self._flush = self._flush, _Flush()
        for kind, outcome, n in done.counts:
            self.report.count(kind, outcome, n)
            if outcome == "imported":
                self._written += n
        for line, kind, reason in done.failures:
            self.report.fail(line, kind, reason)
        again = not self._analyzed or (not self.aside and self._written >= self._analyzed * 2)
        if again and self._written >= 10_000:
            # PostgreSQL plans by its statistics, which a fresh table lacks until autovacuum comes
            # round: lookups by id scanned the whole table (14 ms each at 100,000 messages). With
            # the indexes set aside, once is enough: the look-ups left go by unique index, and the
            # planner scales the rows it counted by the table's size; `_derive` counts them again.
            self._analyzed = self._written
            sql.analyze([ChatUser, Channel, Member, Message, Reaction, Read])

    def _ok(self, kind: str, outcome: str, n: int = 1) -> None:
        if n:
            self._flush.counts.append((kind, outcome, n))

    def _fail(self, record: Record, reason: str) -> None:
        if record.kind in _WITH_DERIVED:
            self._clean = False
        self._flush.failures.append((record.line, record.kind, reason))

    # What is stored already.

    def _known_users(self, ids: Iterable[str]) -> set[str]:
        """Which of the users are stored."""
        ids = set(ids)
        if len(self._users) > _CACHE:
            self._users.clear()
        wanted = ids - self._users
        if wanted:
            found = list(wanted)
            for start in range(0, len(found), 500):
                chunk = found[start : start + 500]
                inside, params = sql.among("id", chunk)
                self._users.update(
                    row[0]
                    for row in sql.fetch(f"SELECT id FROM {sql.table(ChatUser)} WHERE {inside}", params)
                )
        return {i for i in ids if i in self._users}

    def _known_channels(self, cids: Iterable[str]) -> dict[str, tuple[int, str]]:
        """The stored channels among `cids`: pk and creator."""
        cids = set(cids)
        if len(self._channels) > _CACHE:
            self._channels.clear()
        wanted = [c for c in cids if c not in self._channels]
        if wanted:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                inside, params = sql.among("cid", chunk)
                rows = sql.fetch(
                    f"SELECT id, cid, created_by_id FROM {sql.table(Channel)} WHERE {inside}", params
                )
                for pk, cid, creator in rows:
                    self._channels[cid] = (pk, creator)
        return {c: self._channels[c] for c in cids if c in self._channels}

    def _channel_of(
        self, record: Record, cid: str, channels: dict[str, tuple[int, str]]
    ) -> tuple[int, str] | None:
        """The stored channel a member or message belongs to, or None (the record failed)."""
        first = self.channel_lines.get(cid)
        if first is not None and first > record.line:
            self._fail(
                record,
                f"channel {cid!r} comes later in the file (line {first}): a channel must come before its {record.kind}s",
            )
            return None
        found = channels.get(cid)
        if found is None:
            if first is None:
                self._fail(
                    record,
                    f"channel {cid!r} does not exist (its channel record must come before its {record.kind}s)",
                )
            else:
                self._fail(record, f"channel {cid!r} was not imported (its record on line {first} failed)")
        return found

    def _missing_user(self, record: Record, users: set[str], ids: Iterable[tuple[str, str]]) -> bool:
        """Fails the record if one of the (field, user id) pairs names a user that is not stored."""
        for what, user_id in ids:
            if user_id not in users:
                self._fail(record, f"{what} {user_id!r} does not exist (users must come before what they do)")
                return True
        return False

    def _settle(
        self,
        kind: str,
        conflicts: list[tuple[Record, dict[str, Any]]],
        stored: Mapping[Any, Mapping[str, object]],
        key: Callable[[Record], Any],
        overwrite: Callable[[list[tuple[Record, dict[str, Any]]]], None],
        fixed: Sequence[str] = (),
    ) -> list[Record]:
        """Records whose id was taken: the same content is skipped; different content fails, or
        with --mode upsert overwrites what is stored (the `fixed` fields never change).

        `conflicts` pairs each record with the fields it sets; returns the records that stand.
        """
        standing: list[Record] = []
        changed: list[tuple[Record, dict[str, Any]]] = []
        for record, wanted in conflicts:
            have = stored.get(key(record))
            if have is None:  # taken by a record of this batch that then failed
                self._fail(
                    record,
                    f"{kind} {key(record)!r} could not be imported (an earlier record with this id failed)",
                )
                continue
            different = sorted(name for name, value in wanted.items() if have.get(name) != value)
            if not different:
                self._ok(kind, "skipped")
                standing.append(record)
            elif not self.upsert:
                self._fail(
                    record,
                    f"duplicate id {key(record)!r} with different content ({', '.join(different)}); "
                    "--mode upsert overwrites it",
                )
            elif moved := [name for name in different if name in fixed]:
                self._fail(
                    record,
                    f"{kind} {key(record)!r} is stored with another {', '.join(moved)}: that never changes",
                )
            else:
                changed.append((record, wanted))
                standing.append(record)
        if changed:
            overwrite(changed)
            self._ok(kind, "imported", len(changed))
        return standing

    def _overwrite(self, model: type[Model], key: str, rows: list[tuple[Any, dict[str, Any]]]) -> None:
        """UPDATE each row (by `key`) with the fields given, through the ORM so fields adapt themselves."""
        for value, fields in rows:
            model._default_manager.filter(**{key: value}).update(**fields)

    # Users, devices, future channel bans.

    def _write_users(self, batch: list[Record]) -> None:
        now = self.now
        firsts: dict[str, tuple[Record, dict[str, Any]]] = {}
        again: list[tuple[Record, dict[str, Any]]] = []
        for record in batch:
            data: R.UserData = record.data
            if (data.name is not None and len(data.name) > 255) or (
                data.image is not None and len(data.image) > 1024
            ):
                self._fail(record, "name has more than 255 characters, or image more than 1024")
                continue
            fields: dict[str, Any] = {
                "name": data.name or "",
                "image": data.image or "",
                "role": "admin" if data.role == "admin" else "user",
                "deactivated_at": data.deactivated_at,
                "custom": _custom(data, _USER_FIELDS),
                "created_at": data.created_at or now,
                "updated_at": data.updated_at or data.created_at or now,
            }
            if data.id in firsts:
                again.append((record, self._given_user(data, fields)))
            else:
                firsts[data.id] = (record, fields)
        adapt = self.adapt
        rows = [
            (
                user_id,
                f["name"],
                f["image"],
                f["role"],
                adapt.time(f["deactivated_at"]),
                adapt.dict_or_empty(f["custom"]),
                adapt.time(f["created_at"]),
                adapt.time(f["updated_at"]),
                *self._user_defaults[1],
            )
            for user_id, (_, f) in firsts.items()
        ]
        columns = (*USER_COLUMNS, *self._user_defaults[0])
        inserted = {row[0] for row in sql.insert(ChatUser, columns, rows, ["id"], returning=["id"])}
        self._ok("user", "imported", len(inserted))
        conflicts = [
            (r, self._given_user(r.data, f)) for uid, (r, f) in firsts.items() if uid not in inserted
        ]
        conflicts += again
        standing = [firsts[uid][0] for uid in inserted]
        if conflicts:
            ids = {r.data.id for r, _ in conflicts}
            stored = {
                u["id"]: u
                for u in ChatUser.objects.filter(id__in=ids).values(
                    "id", "name", "image", "role", "deactivated_at", "custom", "created_at", "updated_at"
                )
            }
            standing += self._settle(
                "user",
                conflicts,
                stored,
                lambda r: r.data.id,
                lambda changed: self._overwrite(ChatUser, "id", [(r.data.id, f) for r, f in changed]),
            )
        self._users.update(inserted)
        for record in standing:
            data = record.data
            self._users.add(data.id)
            when = data.created_at or now
            for target in data.user_mutes or ():
                self._mutes.append((record.line, data.id, target.root, when))
            if data.ban is not None:
                self._bans.append((record.line, data.id, data.ban))
            elif data.banned:
                self._bans.append((record.line, data.id, R.Ban(expires=data.ban_expires)))
            if data.channel_mutes:
                self.channel_mutes_dropped += 1

    @staticmethod
    def _given_user(data: R.UserData, fields: dict[str, Any]) -> dict[str, Any]:
        """The fields a user record really sets (what it leaves out is not compared)."""
        given = dict(fields)
        for name, value in (
            ("name", data.name),
            ("image", data.image),
            ("role", data.role),
            ("deactivated_at", data.deactivated_at),
            ("created_at", data.created_at),
            ("updated_at", data.updated_at),
        ):
            if value is None:
                del given[name]
        if not fields["custom"]:
            del given["custom"]
        return given

    def _write_devices(self, batch: list[Record]) -> None:
        self._ok("device", "skipped", len(batch))  # Jatte sends no push notifications

    def _write_future_bans(self, batch: list[Record]) -> None:
        users = self._known_users({i for r in batch for i in (r.data.target_id, r.data.created_by)})
        for record in batch:
            data: R.FutureChannelBanData = record.data
            if self._missing_user(
                record, users, (("target_id user", data.target_id), ("created_by user", data.created_by))
            ):
                continue
            self._future_bans.append((record.line, data))

    # Channels and members.

    def _write_channels(self, batch: list[Record]) -> None:
        now, adapt = self.now, self.adapt
        wanted_users = set()
        for record in batch:
            data: R.ChannelData = record.data
            wanted_users.add(user_id_of(data.created_by))
            wanted_users.update(m.root for m in data.member_ids or ())
            wanted_users.update(b.user_id for b in data.bans or () if b.user_id)
            wanted_users.update(b.created_by_id for b in data.bans or () if b.created_by_id)
        users = self._known_users(wanted_users)
        firsts: dict[str, tuple[Record, dict[str, Any]]] = {}
        again: list[tuple[Record, dict[str, Any]]] = []
        for record in batch:
            data = record.data
            creator = user_id_of(data.created_by)
            checks = [("created_by user", creator)] + [
                ("member_ids user", m.root) for m in data.member_ids or ()
            ]
            checks += [("bans user", b.user_id) for b in data.bans or () if b.user_id]
            checks += [("bans created_by user", b.created_by_id) for b in data.bans or () if b.created_by_id]
            if self._missing_user(record, users, checks):
                continue
            cid = cid_of(data.type, data.id, data.member_ids)
            fields = {
                "type": data.type,
                "channel_id": cid.split(":", 1)[1],
                "name": data.name or "",
                "image": data.image or "",
                "custom": _custom(data, _CHANNEL_FIELDS),
                "created_by_id": creator,
                "created_at": data.created_at or now,
                "updated_at": data.updated_at or data.created_at or now,
            }
            if cid in firsts:
                again.append((record, self._given_channel(data, fields)))
            else:
                firsts[cid] = (record, fields)
        rows = [
            (
                cid,
                f["type"],
                f["channel_id"],
                f["name"],
                f["image"],
                adapt.dict_or_empty(f["custom"]),
                f["created_by_id"],
                adapt.time(f["created_at"]),
                adapt.time(f["updated_at"]),
                adapt.time(r.data.last_message_at),
                *self._channel_defaults[1],
            )
            for cid, (r, f) in firsts.items()
        ]
        columns = (*CHANNEL_COLUMNS, *self._channel_defaults[0])
        inserted = {
            cid: (pk, creator)
            for pk, cid, creator in sql.insert(
                Channel, columns, rows, ["cid"], returning=["id", "cid", "created_by_id"]
            )
        }
        self._channels.update(inserted)
        self._ok("channel", "imported", len(inserted))
        conflicts = [
            (r, self._given_channel(r.data, f)) for cid, (r, f) in firsts.items() if cid not in inserted
        ]
        conflicts += again
        standing = [firsts[cid][0] for cid in inserted]
        if conflicts:
            cids = {self._cid(r) for r, _ in conflicts}
            stored = {
                c["cid"]: c
                for c in Channel.objects.filter(cid__in=cids).values(
                    "cid",
                    "type",
                    "channel_id",
                    "name",
                    "image",
                    "custom",
                    "created_by_id",
                    "created_at",
                    "updated_at",
                )
            }
            standing += self._settle(
                "channel",
                conflicts,
                stored,
                self._cid,
                lambda changed: self._overwrite(Channel, "cid", [(self._cid(r), f) for r, f in changed]),
                fixed=("type", "channel_id"),
            )
        channels = self._known_channels({self._cid(r) for r in standing})
        members: list[tuple[Any, ...]] = []
        bans: list[tuple[Any, ...]] = []
        by_creator: dict[str, list[R.FutureChannelBanData]] = defaultdict(list)
        for _, ban in self._future_bans:
            by_creator[ban.created_by].append(ban)
        for record in standing:
            data = record.data
            pk, creator = channels[self._cid(record)]
            self.touched.add(pk)
            when = data.created_at or now
            for member in dict.fromkeys(m.root for m in data.member_ids or ()):
                members.append(
                    (
                        pk,
                        member,
                        member == creator,
                        Member.ChannelRole.MEMBER,
                        adapt.time(when),
                        adapt.time(when),
                        *self._member_defaults[1],
                    )
                )
            for given in data.bans or ():
                bans.append(
                    (
                        given.user_id,
                        pk,
                        given.created_by_id,
                        given.reason or "",
                        adapt.time(given.created_at or when),
                        adapt.time(given.expires),
                    )
                )
            for future in by_creator.get(creator, ()):
                bans.append(
                    (
                        future.target_id,
                        pk,
                        creator,
                        future.reason or "",
                        adapt.time(future.created_at or when),
                        None,
                    )
                )
        sql.insert(Member, (*MEMBER_COLUMNS, *self._member_defaults[0]), members, ["channel_id", "user_id"])
        new = self._insert_bans(bans)
        creators = {pk: creator for pk, creator in channels.values()}
        self._future_applied.update((creators[pk], user) for user, pk in new if pk in creators)

    def _cid(self, record: Record) -> str:
        data = record.data
        return cid_of(data.type, data.id, data.member_ids)

    @staticmethod
    def _given_channel(data: R.ChannelData, fields: dict[str, Any]) -> dict[str, Any]:
        given = dict(fields)
        for name, value in (
            ("name", data.name),
            ("image", data.image),
            ("created_at", data.created_at),
            ("updated_at", data.updated_at),
        ):
            if value is None:
                del given[name]
        if not fields["custom"]:
            del given["custom"]
        return given

    def _insert_bans(self, rows: list[tuple[Any, ...]]) -> set[tuple[str, int]]:
        """Channel bans (user, channel pk, created_by, reason, created_at, expires); a ban already
        there stays. Returns the (user, channel pk) of the new ones."""
        columns = ("user_id", "channel_id", "created_by_id", "reason", "created_at", "expires")
        done = sql.insert(
            Ban,
            columns,
            rows,
            ["user_id", "channel_id"],
            where="channel_id IS NOT NULL",
            returning=["user_id", "channel_id"],
        )
        return {(user, pk) for user, pk in done}

    def _member_cid(self, data: R.MemberData) -> str:
        return cid_of(data.channel_type, data.channel_id, data.channel_member_ids)

    def _write_members(self, batch: list[Record]) -> None:
        now, adapt = self.now, self.adapt
        channels = self._known_channels({self._member_cid(r.data) for r in batch})
        users = self._known_users({r.data.user_id for r in batch})
        firsts: dict[tuple[int, str], tuple[Record, dict[str, Any]]] = {}
        again: list[tuple[Record, dict[str, Any]]] = []
        for record in batch:
            data: R.MemberData = record.data
            channel = self._channel_of(record, self._member_cid(data), channels)
            if channel is None or self._missing_user(record, users, (("user", data.user_id),)):
                continue
            pk, creator = channel
            self.touched.add(pk)
            moderator = data.channel_role in {"channel_moderator", "moderator"} or bool(data.is_moderator)
            fields = {
                "channel_role": Member.ChannelRole.MODERATOR if moderator else Member.ChannelRole.MEMBER,
                "is_owner": data.user_id == creator,
                "created_at": data.created_at or now,
                "updated_at": data.updated_at or data.created_at or now,
            }
            key = (pk, data.user_id)
            if key in firsts:
                again.append((record, self._given_member(data, fields)))
            else:
                firsts[key] = (record, fields)
        rows = [
            (
                pk,
                user_id,
                f["is_owner"],
                f["channel_role"],
                adapt.time(f["created_at"]),
                adapt.time(f["updated_at"]),
                *self._member_defaults[1],
            )
            for (pk, user_id), (_, f) in firsts.items()
        ]
        inserted = {
            (pk, user_id)
            for pk, user_id in sql.insert(
                Member,
                (*MEMBER_COLUMNS, *self._member_defaults[0]),
                rows,
                ["channel_id", "user_id"],
                returning=["channel_id", "user_id"],
            )
        }
        self._ok("member", "imported", len(inserted))
        conflicts = [
            (r, self._given_member(r.data, f)) for key, (r, f) in firsts.items() if key not in inserted
        ]
        conflicts += again
        standing = [firsts[key][0] for key in inserted]
        if conflicts:
            keys = {(channels[self._member_cid(r.data)][0], r.data.user_id) for r, _ in conflicts}
            stored = {
                (m["channel_id"], m["user_id"]): m
                for m in Member.objects.filter(
                    channel_id__in={k[0] for k in keys}, user_id__in={k[1] for k in keys}
                ).values("channel_id", "user_id", "channel_role", "is_owner", "created_at", "updated_at")
            }

            def member_key(record: Record) -> tuple[int, str]:
                return (channels[self._member_cid(record.data)][0], record.data.user_id)

            def overwrite(changed: list[tuple[Record, dict[str, Any]]]) -> None:
                for record, fields in changed:
                    pk, user_id = member_key(record)
                    Member.objects.filter(channel_id=pk, user_id=user_id).update(**fields)

            standing += self._settle("member", conflicts, stored, member_key, overwrite)
        reads: list[tuple[Any, ...]] = []
        bans: list[tuple[Any, ...]] = []
        for record in standing:
            data = record.data
            pk = channels[self._member_cid(data)][0]
            if data.last_read is not None:
                reads.append(
                    (
                        pk,
                        data.user_id,
                        adapt.time(data.last_read),
                        0,
                        data.last_read_message_id or "",
                        *self._read_defaults[1],
                    )
                )
            if data.banned:
                bans.append(
                    (
                        data.user_id,
                        pk,
                        None,
                        "",
                        adapt.time(data.created_at or now),
                        adapt.time(data.ban_expires),
                    )
                )
        columns = (*READ_COLUMNS, *self._read_defaults[0])
        update = ("last_read", "last_read_message_id") if self.upsert else ()
        once = list(
            {(row[0], row[1]): row for row in reads}.values()
        )  # one statement may not update a row twice
        sql.insert(Read, columns, once, ["channel_id", "user_id"], update=update)
        self._insert_bans(bans)

    @staticmethod
    def _given_member(data: R.MemberData, fields: dict[str, Any]) -> dict[str, Any]:
        given = dict(fields)
        for name, value in (("created_at", data.created_at), ("updated_at", data.updated_at)):
            if value is None:
                del given[name]
        if data.channel_role is None and data.is_moderator is None:
            del given["channel_role"]
        return given

    # Messages.

    def _message_cid(self, data: R.MessageData) -> str:
        return cid_of(data.channel_type, data.channel_id, data.channel_member_ids)

    def _write_messages(self, batch: list[Record]) -> None:
        adapt = self.adapt
        for record in batch:
            if record.prepared is None:  # not by the reader: without what its first pass found
                record.prepared = prepare(record.data, self.now, adapt)
                self._clean = False
        prepared: list[Prepared] = [r.prepared for r in batch]
        channels = self._known_channels({p.cid for p in prepared})
        wanted_users = {p.author for p in prepared}
        refs: set[str] = set()
        for p in prepared:
            wanted_users.update(u for _, u in p.others)
            if p.parent_id:
                refs.add(p.parent_id)
            if p.quoted_id:
                refs.add(p.quoted_id)
        users = self._known_users(wanted_users)
        # Messages referred to (parents, quotes): seq, channel pk, own parent id; those this run
        # wrote lately are known without a query (a parent is most often a recent message).
        recent = self._recent
        known: dict[str, tuple[int | None, int, str]] = {}
        wanted = []
        for ref in refs:
            found = recent.get(ref)
            if found is None:
                wanted.append(ref)
            else:
                known[ref] = found
        for start in range(0, len(wanted), 500):
            inside, params = sql.among("message_id", wanted[start : start + 500])
            for seq, message_id, channel_pk, parent in sql.fetch(
                f"SELECT seq, message_id, channel_id, parent_id FROM {sql.table(Message)} WHERE {inside}",
                params,
            ):
                known[message_id] = (seq, channel_pk, parent)
        firsts: dict[str, tuple[Record, int, int | None, Any]] = {}
        rows: list[tuple[Any, ...]] = []
        again: list[Record] = []
        late_quotes: list[tuple[str, str]] = []  # (message id, quoted id) quoting this batch
        defaults = self._message_defaults[1]
        for record, p in zip(batch, prepared, strict=True):
            if p.id in firsts:
                again.append(record)
                continue
            row = self._message_row(record, channels, users, known, first=True)
            if row is None:
                continue
            firsts[p.id] = (record, row[1], row[7], p.attachments if self.fetcher is None else row[8])
            rows.append(row + defaults if defaults else row)
            if p.quoted_id and row[7] is None:
                late_quotes.append((p.id, p.quoted_id))
            known.setdefault(p.id, (None, row[1], p.parent_id))
        # Channels this batch writes to for the first time in this run: their newest stored message,
        # to tell whether the new ones come after it.
        first_time = {row[1] for row in rows if row[1] not in self._newest}
        if first_time and self.aside and not self._all_newest:
            # Without the index on channel_id, every channel's at once: one scan, not one a batch.
            self._all_newest = True
            first_time = set()
            for pk, created in sql.fetch(
                f"SELECT channel_id, created_at FROM {sql.table(Message)} WHERE seq IN"
                f" (SELECT MAX(seq) FROM {sql.table(Message)} GROUP BY channel_id)"
            ):
                self._newest.setdefault(pk, adapt.time(adapt.read_time(created)))
        if first_time and not self._all_newest:
            pks = list(first_time)
            for start in range(0, len(pks), 500):
                inside, params = sql.among("channel_id", pks[start : start + 500])
                for pk, created in sql.fetch(
                    f"SELECT channel_id, created_at FROM {sql.table(Message)} WHERE seq IN"
                    f" (SELECT MAX(seq) FROM {sql.table(Message)} WHERE {inside} GROUP BY channel_id)",
                    params,
                ):
                    self._newest[pk] = adapt.time(adapt.read_time(created))
        columns = (*MESSAGE_COLUMNS, *DERIVED_COLUMNS, *self._message_defaults[0])
        seqs = {message_id: seq for seq, message_id in self._insert_messages(columns, rows)}
        self._ok("message", "imported", len(seqs))
        newest = self._newest
        for row in rows:  # in file order: a channel's messages should come oldest first
            if row[0] in seqs:
                pk, created = row[1], row[13]
                last = newest.get(pk)
                if last is None or created > last:
                    newest[pk] = created
                elif created < last:
                    self.disordered.add(pk)
        if seqs:
            self._after_messages(firsts, seqs, late_quotes)
            if len(recent) > _CACHE:  # the older half goes
                for message_id in list(itertools.islice(recent, len(recent) // 2)):
                    del recent[message_id]
            for row in rows:
                seq = seqs.get(row[0])
                if seq is not None:
                    recent[row[0]] = (seq, row[1], row[5])
        conflicts = [
            (record, self._values(record.prepared, pk, quoted, attachments), record.prepared.mentions)
            for mid, (record, pk, quoted, attachments) in firsts.items()
            if mid not in seqs
        ]
        for record in again:
            row = self._message_row(record, channels, users, known)
            if row is not None:
                values = self._values(record.prepared, row[1], row[7], record.prepared.attachments)
                conflicts.append((record, values, record.prepared.mentions))
        if conflicts:
            self._clean = False  # a stored message keeps its DERIVED_COLUMNS: the closing passes settle them
            self._settle_messages(conflicts)

    def _insert_messages(self, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> list[tuple[int, str]]:
        """Inserts the rows whose message id is free, in order; (seq, message id) of each one inserted."""
        if self.adapt.sqlite:
            return sql.insert_numbered(Message, columns, rows, ["message_id"])
        # PostgreSQL: COPY, with seqs reserved from the sequence in file order. A large import tries
        # first without looking for the ids already taken (a fresh table holds none): a taken one
        # fails the COPY, whose savepoint is rolled back, and the batch is written as any other.
        if self.aside:
            try:
                with transaction.atomic():
                    return self._copy_messages(columns, rows)
            except IntegrityError:
                pass
        taken: set[str] = set()
        ids = [row[0] for row in rows]
        for start in range(0, len(ids), 5000):
            inside, params = sql.among("message_id", ids[start : start + 5000])
            taken.update(
                r[0] for r in sql.fetch(f"SELECT message_id FROM {sql.table(Message)} WHERE {inside}", params)
            )
        return self._copy_messages(columns, [row for row in rows if row[0] not in taken])

    def _copy_messages(self, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> list[tuple[int, str]]:
        # A large import locks the table for its batch and takes the seqs as one range; otherwise a
        # row racing in from elsewhere makes the batch fail and retry record by record.
        seqs = sql.next_ids(Message, "seq", len(rows), locked=self.aside)
        sql.copy(Message, ("seq", *columns), [(seq, *row) for seq, row in zip(seqs, rows, strict=True)])
        return [(seq, row[0]) for seq, row in zip(seqs, rows, strict=True)]

    def _values(self, p: Prepared, pk: int, quoted_seq: int | None, attachments: Any) -> tuple[Any, ...]:
        """The message's columns (MESSAGE_COLUMNS order) as Python values, to compare with a stored one."""
        if isinstance(attachments, str):  # rewritten by the fetcher, held as the row holds it
            attachments = json.loads(attachments)
        elif attachments is None:
            attachments = []
        adapt = self.adapt
        return (p.id, pk, *p[2:7], quoted_seq, attachments, *p.tail(adapt))

    def _message_row(
        self,
        record: Record,
        channels: dict[str, tuple[int, str]],
        users: set[str],
        known: dict[str, tuple[int | None, int, str]],
        first: bool = False,
    ) -> tuple[Any, ...] | None:
        """The message's row to insert (MESSAGE_COLUMNS and DERIVED_COLUMNS order), or None when it failed."""
        p: Prepared = record.prepared
        channel = self._channel_of(record, p.cid, channels)
        if channel is None:
            return None
        if p.author not in users or (p.others and self._missing_user(record, users, p.others)):
            if p.author not in users:
                self._fail(record, f"user {p.author!r} does not exist (users must come before what they do)")
            return None
        pk = channel[0]
        if p.parent_id:
            parent = known.get(p.parent_id)
            if parent is None:
                self._fail(
                    record,
                    f"reply to a missing parent {p.parent_id!r} (a parent must come before its replies)",
                )
                return None
            if parent[1] != pk:
                self._fail(record, f"parent message {p.parent_id!r} is in another channel, not {p.cid!r}")
                return None
            if parent[2]:
                self._fail(
                    record,
                    f"parent message {p.parent_id!r} is itself a reply (to {parent[2]!r}): reply to that one",
                )
                return None
        quoted_seq: int | None = None
        if p.quoted_id:
            quoted = known.get(p.quoted_id)
            if quoted is None:
                self._fail(
                    record,
                    f"quoted message {p.quoted_id!r} does not exist (it must come before the quote)",
                )
                return None
            if quoted[1] != pk:
                self._fail(record, f"quoted message {p.quoted_id!r} is in another channel, not {p.cid!r}")
                return None
            quoted_seq = quoted[0]
        attachments, attachments_row = p.attachments, p.attachments_json
        if attachments and self.fetcher is not None:
            urls = sum(1 for a in attachments for k in URL_FIELDS if a.get(k))
            attachments, problems = self.fetcher.rewrite(attachments)
            attachments_row = self.adapt.list_or_empty(attachments)
            if first:  # the file's own line; a repeated id is compared, not fetched again
                self._ok("attachment", "read", urls)
                self._ok("attachment", "imported", urls - len(problems))
                self._flush.failures += [(record.line, "attachment", problem) for problem in problems]
        return p.row(pk, quoted_seq, attachments_row)

    def _after_messages(
        self,
        firsts: dict[str, tuple[Record, int, int | None, Any]],
        seqs: dict[str, int],
        late_quotes: list[tuple[str, str]],
    ) -> None:
        """What the new messages imply at once: their mentions, and quotes of messages of this batch."""
        through = Message.mentioned_users.through
        mentions = [
            (seqs[mid], user)
            for mid, (record, _, _, _) in firsts.items()
            if record.prepared.mentions and mid in seqs
            for user in record.prepared.mentions
        ]
        sql.insert(through, ("message_id", "chatuser_id"), mentions, ["message_id", "chatuser_id"])
        quotable = dict(seqs)
        elsewhere = [quoted for mid, quoted in late_quotes if mid in seqs and quoted not in seqs]
        if elsewhere:  # quoting a record of this batch whose id was already stored
            quotable.update(Message.objects.filter(message_id__in=elsewhere).values_list("message_id", "seq"))
        fixes = [
            (quotable[quoted], seqs[mid]) for mid, quoted in late_quotes if mid in seqs and quoted in quotable
        ]
        sql.update_rows(Message, "seq", ["quoted_id"], fixes)
        self.touched.update({pk for mid, (_, pk, _, _) in firsts.items() if mid in seqs})

    def _settle_messages(self, conflicts: list[tuple[Record, tuple[Any, ...], Sequence[str]]]) -> None:
        ids = {r.prepared.id for r, _, _ in conflicts}
        stored: dict[str, dict[str, Any]] = {}
        rows = Message.objects.filter(message_id__in=ids).values(
            "seq",
            "message_id",
            "channel_id",
            "user_id",
            "text",
            "type",
            "parent_id",
            "show_in_channel",
            "quoted_id",
            "attachments",
            "pinned_at",
            "pinned_by_id",
            "pin_expires",
            "custom",
            "created_at",
            "updated_at",
            "deleted_at",
        )
        for row in rows:
            stored[row["message_id"]] = {**row, "mentions": []}
        by_seq = {row["seq"]: row for row in stored.values()}
        through = Message.mentioned_users.through
        for seq, user in (
            through.objects.filter(message_id__in=by_seq)
            .order_by("id")
            .values_list("message_id", "chatuser_id")
        ):
            by_seq[seq]["mentions"].append(user)
        pending: list[tuple[Record, dict[str, Any]]] = []
        for record, values, mentions in conflicts:
            p: Prepared = record.prepared
            fields = dict(zip(MESSAGE_COLUMNS, values, strict=True))
            del fields["message_id"]
            fields["mentions"] = list(mentions)  # as the stored ones are listed
            have = stored.get(p.id)
            if fields["quoted_id"] is None and p.quoted_id and have is not None:
                # quoting a message of this batch: compare by the quoted message's seq
                quoted = Message.objects.filter(message_id=p.quoted_id).values_list("seq", flat=True).first()
                fields["quoted_id"] = quoted
            created_given, updated_given, deleted_given = p.given
            if not created_given:  # a time the import chose is not the record's to compare
                del fields["created_at"]
                if not updated_given:
                    del fields["updated_at"]
                if fields["deleted_at"] is not None and not deleted_given:
                    del fields["deleted_at"]
            pending.append((record, fields))
            if have is not None:
                self._recheck.add(have["channel_id"])
                self.touched.add(have["channel_id"])

        def overwrite(changed: list[tuple[Record, dict[str, Any]]]) -> None:
            for record, fields in changed:
                seq = stored[record.prepared.id]["seq"]
                mentions = fields.pop("mentions")
                Message.objects.filter(seq=seq).update(**fields)
                through.objects.filter(message_id=seq).delete()
                through.objects.bulk_create([through(message_id=seq, chatuser_id=u) for u in mentions])

        self._settle(
            "message",
            pending,
            stored,
            lambda r: r.prepared.id,
            overwrite,
            fixed=("channel_id", "user_id", "parent_id"),
        )

    # Reactions.

    def _write_reactions(self, batch: list[Record]) -> None:
        adapt = self.adapt

        for record in batch:
            if record.prepared is None:
                record.prepared = prepare_reaction(record.data, adapt)
                self._clean = False
        prepared: list[PreparedReaction] = [r.prepared for r in batch]
        wanted = list({p.message_id for p in prepared})
        messages: dict[str, int] = {}
        for start in range(0, len(wanted), 5000):
            inside, params = sql.among("message_id", wanted[start : start + 5000])
            for seq, message_id, channel_pk in sql.fetch(
                f"SELECT seq, message_id, channel_id FROM {sql.table(Message)} WHERE {inside}", params
            ):
                messages[message_id] = seq
                self.touched.add(channel_pk)
        users = self._known_users({p.user_id for p in prepared})
        firsts: dict[tuple[int, str, str], Record] = {}
        rows: list[tuple[Any, ...]] = []
        again: list[Record] = []
        defaults = self._reaction_defaults[1]
        for record, p in zip(batch, prepared, strict=True):
            seq = messages.get(p.message_id)
            if seq is None:
                self._fail(
                    record,
                    f"message {p.message_id!r} does not exist (a message must come before its reactions)",
                )
                continue
            if p.user_id not in users:
                self._fail(record, f"user {p.user_id!r} does not exist (users must come before what they do)")
                continue
            key = (seq, p.user_id, p.type)
            if key in firsts:
                again.append(record)
                continue
            firsts[key] = record
            rows.append((seq, p.user_id, p.type, p.score, *p.row, *defaults))
        columns = (*REACTION_COLUMNS, *self._reaction_defaults[0])
        inserted = self._insert_reactions(columns, rows)
        self._ok("reaction", "imported", len(inserted))
        conflicts = [r for key, r in firsts.items() if key not in inserted] + again
        if not conflicts:
            return
        self._clean = False

        def reaction_key(record: Record) -> tuple[int, str, str]:
            p: PreparedReaction = record.prepared
            return (messages[p.message_id], p.user_id, p.type)

        keys = {reaction_key(r) for r in conflicts}
        stored = {
            (x["message_id"], x["user_id"], x["type"]): x
            for x in Reaction.objects.filter(
                message_id__in={k[0] for k in keys}, user_id__in={k[1] for k in keys}
            ).values("message_id", "user_id", "type", "score", "created_at", "updated_at")
        }

        def overwrite(changed: list[tuple[Record, dict[str, Any]]]) -> None:
            for record, fields in changed:
                seq, user, kind = reaction_key(record)
                Reaction.objects.filter(message_id=seq, user_id=user, type=kind).update(**fields)

        self._settle(
            "reaction",
            [(r, self._given_reaction(r.prepared)) for r in conflicts],
            stored,
            reaction_key,
            overwrite,
        )

    def _insert_reactions(
        self, columns: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> set[tuple[int, str, str]]:
        """Inserts the rows whose (message, user, type) is free; the keys of those inserted."""
        key = ["message_id", "user_id", "type"]
        if self.adapt.sqlite:
            return {
                (seq, user, kind)
                for seq, user, kind in sql.insert(Reaction, columns, rows, key, returning=key)
            }
        if self.aside:  # as for messages: COPY first, the keys taken looked for only when one is
            try:
                with transaction.atomic():
                    sql.copy(Reaction, columns, rows)
                return {(row[0], row[1], row[2]) for row in rows}
            except IntegrityError:
                pass
        seqs = list({row[0] for row in rows})
        taken: set[tuple[int, str, str]] = set()
        for start in range(0, len(seqs), 5000):
            inside, params = sql.among("message_id", seqs[start : start + 5000])
            taken.update(
                (seq, user, kind)
                for seq, user, kind in sql.fetch(
                    f"SELECT message_id, user_id, type FROM {sql.table(Reaction)} WHERE {inside}", params
                )
            )
        fresh = [row for row in rows if (row[0], row[1], row[2]) not in taken]
        sql.copy(Reaction, columns, fresh)
        return {(row[0], row[1], row[2]) for row in fresh}

    def _given_reaction(self, p: PreparedReaction) -> dict[str, Any]:
        """The fields a reaction record really sets (what it leaves out is not compared)."""
        given: dict[str, Any] = {"created_at": self.adapt.read_time(p.row[0])}
        score_given, updated_given = p.given
        if score_given:
            given["score"] = p.score
        if updated_given:
            given["updated_at"] = self.adapt.read_time(p.row[1])
        return given

    # The end of the file.

    def finish(self) -> None:
        """Writes what is buffered, then what needed the whole file (each step idempotent)."""
        self.flush()
        self._write_mutes_and_bans()
        self._derive()

    def _write_mutes_and_bans(self) -> None:
        adapt = self.adapt
        for _, future in self._future_bans:  # imported when it banned someone from a channel of this run
            applied = (future.created_by, future.target_id) in self._future_applied
            self.report.count("future_channel_ban", "imported" if applied else "skipped")
        if self._mutes:
            users = self._known_users({u for _, a, b, _ in self._mutes for u in (a, b)})
            rows = []
            for line, user, target, when in self._mutes:
                self.report.read("mute")
                if target not in users:
                    self.report.fail(
                        line,
                        "mute",
                        f"user {user!r} mutes {target!r}, who does not exist; the mute is not kept",
                    )
                elif target == user:
                    self.report.fail(line, "mute", f"user {user!r} mutes themself; the mute is not kept")
                else:
                    rows.append((user, target, adapt.time(when), adapt.time(when), None))
            with transaction.atomic():
                done = sql.insert(
                    Mute,
                    ("user_id", "target_id", "created_at", "updated_at", "expires"),
                    rows,
                    ["user_id", "target_id"],
                    returning=["id"],
                )
            self.report.count("mute", "imported", len(done))
            self.report.count("mute", "skipped", len(rows) - len(done))
        if self._bans:
            users = self._known_users({i for _, u, b in self._bans for i in (u, b.created_by_id) if i})
            bans: list[tuple[Any, ...]] = []
            for line, user, ban in self._bans:
                self.report.read("ban")
                if ban.created_by_id and ban.created_by_id not in users:
                    self.report.fail(
                        line,
                        "ban",
                        f"the ban of {user!r} was made by {ban.created_by_id!r}, who does not exist",
                    )
                    continue
                bans.append(
                    (
                        user,
                        None,
                        ban.created_by_id,
                        ban.reason or "",
                        adapt.time(ban.created_at or self.now),
                        adapt.time(ban.expires),
                    )
                )
            with transaction.atomic():
                done = sql.insert(
                    Ban,
                    ("user_id", "channel_id", "created_by_id", "reason", "created_at", "expires"),
                    bans,
                    ["user_id"],
                    where="channel_id IS NULL",
                    returning=["id"],
                )
            self.report.count("ban", "imported", len(done))
            self.report.count("ban", "skipped", len(bans) - len(done))
        self._mutes.clear()
        self._bans.clear()

    def _derive(self) -> None:
        """What the records imply, from what is stored: order, threads, reactions, last message, reads."""
        took: list[str] = []
        started = clock = time.monotonic()

        def lap(name: str) -> None:
            nonlocal clock
            now = time.monotonic()
            took.append(f"{name} {now - clock:.1f} s")
            clock = now

        # One statement per pass over the tables, before their indexes are back; over the whole table
        # when this run filled an empty one.
        whole = self.aside
        scope = ("every" if self.fresh else "touched") if whole else "chunks"
        if scope == "touched":
            derived.touch(self.touched)
        recheck = self._recheck - self.disordered
        if recheck:
            self.disordered |= derived.disordered(recheck, scope)
        settled = self.ahead_exact and self._clean and not self.disordered
        if settled:
            took.append("threads and reactions written with their messages")
        elif whole and not self.disordered:
            # The passes that rewrite messages, while only their unique indexes have to follow.
            derived.threads(self.touched, scope)
            lap("threads")
            derived.reactions(self.touched, scope)
            lap("reactions")
        if self.aside:
            indexes.put_back(self.early)
            lap("indexes made again")
        if self._written > self._analyzed:
            # Statistics of the tables as they now are, with their indexes: planned on older ones, the
            # read marks' look-up of each channel's last message before a time walked the whole table
            # by seq, once per read mark (107 s for a million messages, PostgreSQL).
            self._analyzed = self._written
            sql.analyze([Channel, Member, Message, Reaction, Read])
        for pk in sorted(self.disordered):
            moved = derived.reorder(pk)
            if moved:
                self.report.notes.append(
                    f"channel {pk}: {moved:,} messages came out of time order; their order now follows created_at"
                )
        lap("order")
        if not settled and (not whole or self.disordered):  # after the reordering: participants follow seq
            derived.threads(self.touched)
            lap("threads")
            derived.reactions(self.touched)
            lap("reactions")
        derived.last_message_at(self.touched, scope)
        derived.reads(self.touched)
        lap("last messages and reads")
        self.report.timings.append(
            f"closing passes over {len(self.touched):,} channels: {time.monotonic() - started:.1f} s ({', '.join(took)})"
        )
