"""A first pass over a JSON Lines file, so that each message is written with its thread
(reply_count, thread_participants) and its reaction groups, which the closing passes
(chat.importing.derived) would otherwise rewrite afterwards: half a million messages of a
million-message import, a row rewritten each (on PostgreSQL, a third of the import's time).

The pass reads only the replies and reactions (picked out by a substring test, parsed by `json`),
and what it concludes is checked, not trusted: every reply and reaction the import then really
reads (validated and prepared as any other) takes back the fact the first pass counted for it, as
a hash, and every message the pass holds values for must come by. When the import ends with every
fact taken back (`exact`), and the writer stored every message and reaction of the file as new
rows (no failure, no record already there, no channel out of time order), the values written are
the ones the closing passes would compute, and they are not run; otherwise they run as before.

What the pass holds is bounded (`LIMIT` messages, about 400 bytes each): past it, the pass gives up
and the closing passes do the work, so a file of any size still needs the memory of one batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pydantic_core import from_json

from chat.importing.sql import Adapt

__all__ = ["LIMIT", "Ahead", "scan"]

LIMIT = 1_000_000  # messages (parents and reacted-to) the first pass holds values for at most
_DEFAULTS = (0, "[]", "{}")  # reply_count, thread_participants, reaction_groups of a message alone


def _iso(stored: str) -> str:
    """A stored time (Adapt.time) as derived._iso writes it into reaction_groups."""
    text = stored.replace(" ", "T", 1)
    return text if text.endswith("+00:00") else text + "+00:00"


_TEXTS: dict[str, str] = {}  # ids and types as JSON strings, they come again and again


def _json_text(value: str) -> str:
    text = _TEXTS.get(value)
    if text is None:
        text = json.dumps(value, ensure_ascii=False)
        if len(_TEXTS) < 100_000:
            _TEXTS[value] = text
    return text


def groups_text(groups: dict[str, list[Any]]) -> str:
    """reaction_groups as SQLite's json_group_object writes it in derived.reactions: the types in
    the order of their first reaction (then by type), compact. PostgreSQL keeps it as jsonb."""
    parts = []
    for kind, (count, score, first, last) in sorted(groups.items(), key=lambda item: (item[1][2], item[0])):
        parts.append(
            f'{_json_text(kind)}:{{"count":{count},"sum_scores":{score},'
            f'"first_reaction_at":"{_iso(first)}","last_reaction_at":"{_iso(last)}"}}'
        )
    return "{" + ",".join(parts) + "}"


def _groups(entry: list[Any]) -> str:
    """groups_text of an entry's reaction types (from its fourth item on, five items a type)."""
    if len(entry) == 8:  # one type, most messages' case
        kind, count, score, first, last = entry[3:]
        return (
            f'{{{_json_text(kind)}:{{"count":{count},"sum_scores":{score},'
            f'"first_reaction_at":"{_iso(first)}","last_reaction_at":"{_iso(last)}"}}}}'
        )
    return groups_text({entry[i]: entry[i + 1 : i + 5] for i in range(3, len(entry), 5)})


def participants_text(users: Iterable[str]) -> str:
    """thread_participants as SQLite's json_group_array writes it in derived.threads."""
    return "[" + ",".join(_json_text(u) for u in users) + "]"


class Ahead:
    """What the first pass found, and the checking of it by the import's own reading.

    `entries` holds, per message id, what `scan` counted (`[balance, reply_count, participants or
    None, then per reaction type: type, count, sum of scores, first time, last time]`, `balance`
    the sum of the hashes of the facts not yet met again: a reply's parent, author and line, a
    reaction's message, user, type, score and times); once the message came by, `[balance, -1]`.
    """

    def __init__(self, entries: dict[str, list[Any]]) -> None:
        self.entries = entries
        self.wrong = False  # a fact of the import's reading that the first pass did not count

    def of_message(self, message_id: str, parent_id: str, author: str, line: int) -> tuple[int, str, str]:
        """The values to write with a message the import reads (its own, and its reply's fact taken back)."""
        if parent_id:
            self._met(parent_id, hash(("reply", parent_id, author, line)))
        entry = self.entries.get(message_id)
        if entry is None or entry[1] < 0:  # nothing found for it, or a second record with its id
            return _DEFAULTS
        users = entry[2]
        values = (
            entry[1],
            participants_text(users) if users else "[]",
            _groups(entry) if len(entry) > 3 else "{}",
        )
        if entry[0]:
            del entry[2:]
            entry[1] = -1
        else:
            del self.entries[message_id]
        return values

    def of_reaction(self, message_id: str, user_id: str, kind: str, score: int, row: tuple[Any, Any]) -> None:
        self._met(message_id, hash(("reaction", message_id, user_id, kind, score, row[0], row[1])))

    def _met(self, message_id: str, fact: int) -> None:
        entry = self.entries.get(message_id)
        if entry is None:
            self.wrong = True
            return
        entry[0] -= fact
        if not entry[0] and entry[1] < 0:
            del self.entries[message_id]

    def exact(self) -> bool:
        """Whether every fact was met again and every message with values came by."""
        return not (self.wrong or self.entries)


class _TooMany(Exception):
    """Raised when the first pass would hold more than LIMIT messages."""


def _time(adapt: Adapt, value: Any) -> str | None:
    """A time of the file as Adapt.time stores it, or None when this reading is not Pydantic's."""
    if not isinstance(value, str):
        return None
    if len(value) == 27 and value[26] == "Z" and value[10] == "T" and value[19] == ".":
        # Stream's own spelling, 2022-01-01T00:00:11.000000Z: sliced, as isoformat() writes it
        fraction = value[20:26]
        text = f"{value[:10]} {value[11:19]}" if fraction == "000000" else f"{value[:10]} {value[11:26]}"
        return text if adapt.sqlite else text + "+00:00"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return adapt.time(moment)


def scan(lines: Iterable[tuple[int, bytes]], adapt: Adapt, limit: int = LIMIT) -> Ahead | None:
    """The first pass over the file's lines (number, bytes); None when it gives up (too many).

    An entry is one list a message (Ahead's `entries`), the times in it the strings the import
    stores: a million-message file's 735,000 entries take 280 MB so, twice that with a dictionary
    a message."""
    state: dict[str, list[Any]] = {}
    try:
        for number, line in lines:
            if b'"parent_id"' in line:
                _reply(number, line, state, limit)
            elif b'"reaction"' in line:
                _reaction(line, state, adapt, limit)
    except _TooMany:
        return None
    return Ahead(state)


def _record(line: bytes, kind: str) -> dict[str, Any] | None:
    try:
        value = from_json(line)  # pydantic's parser: twice as fast as json's on these lines
    except ValueError:
        return None
    if not isinstance(value, dict) or value.get("type") != kind or not isinstance(value.get("data"), dict):
        return None
    data: dict[str, Any] = value["data"]
    return data


def _entry(state: dict[str, list[Any]], message_id: str, limit: int) -> list[Any]:
    entry = state.get(message_id)
    if entry is None:
        if len(state) >= limit:
            raise _TooMany
        entry = state[message_id] = [0, 0, None]
    return entry


def _reply(number: int, line: bytes, state: dict[str, list[Any]], limit: int) -> None:
    data = _record(line, "message")
    if data is None:
        return
    parent, user = data.get("parent_id"), data.get("user")
    author = user.get("id") if isinstance(user, dict) else user
    if not isinstance(parent, str) or not parent or not isinstance(author, str):
        return
    entry = _entry(state, parent, limit)
    entry[0] += hash(("reply", parent, author, number))
    entry[1] += 1
    users = entry[2]
    if users is None:
        entry[2] = [author]
    elif author not in users:
        users.append(author)


def _reaction(line: bytes, state: dict[str, list[Any]], adapt: Adapt, limit: int) -> None:
    data = _record(line, "reaction")
    if data is None:
        return
    message_id, user_id, kind, score = (
        data.get("message_id"),
        data.get("user_id"),
        data.get("type"),
        data.get("score"),
    )
    created = _time(adapt, data.get("created_at"))
    updated = _time(adapt, data["updated_at"]) if data.get("updated_at") is not None else created
    score = 1 if score is None else score
    if not (isinstance(message_id, str) and isinstance(user_id, str) and isinstance(kind, str)):
        return
    if created is None or updated is None or not isinstance(score, int) or isinstance(score, bool):
        return
    entry = _entry(state, message_id, limit)
    entry[0] += hash(("reaction", message_id, user_id, kind, score, created, updated))
    for i in range(3, len(entry), 5):
        if entry[i] == kind:
            entry[i + 1] += 1
            entry[i + 2] += score
            entry[i + 3] = min(entry[i + 3], created)
            entry[i + 4] = max(entry[i + 4], updated)
            return
    entry += (kind, 1, score, created, updated)
