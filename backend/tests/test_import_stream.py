"""Importing Stream's files: what lands in the database, what is refused and why, and that running
the same file again changes nothing."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from chat import services
from chat.auth import Actor
from chat.importing.importer import run_import
from chat.importing.report import Report
from chat.importing.rules import distinct_channel_id
from chat.models import Ban, Channel, ChatUser, Member, Message, Mute, Reaction, Read
from chat.services import queries
from chat.services.reads import unread_threads

from .stream_files import BAD_JSONL, EXPORT_V1, IMPORT_JSONL, LEGACY_JSON, dump, write

pytestmark = pytest.mark.django_db


def _import(path: Path, **options: Any) -> tuple[Report, str]:
    err = io.StringIO()
    report = run_import(path, err=err, terminal=False, **options)
    return report, err.getvalue()


def _counts(report: Report) -> dict[str, dict[str, int]]:
    return {kind: {k: v for k, v in counts.items() if v} for kind, counts in report.counts.items()}


@pytest.fixture
def imported(tmp_path: Path) -> Report:
    report, err = _import(write(tmp_path / "import.jsonl", IMPORT_JSONL))
    assert report.failed_total == 0, err
    return report


def _distinct(*members: str) -> str:
    from chat.importing import records

    return "messaging:" + distinct_channel_id([records.Id(m) for m in members])


def test_import_keeps_users_roles_and_custom_data(imported: Report) -> None:
    alice = ChatUser.objects.get(id="alice")
    assert (alice.name, alice.image, alice.role) == ("Alice", "https://example.com/alice.png", "admin")
    assert alice.custom == {"teams": ["red"], "language": "en", "favourite_colour": "teal"}
    assert ChatUser.objects.get(id="carol").role == "user"  # Stream's moderator role is not Jatte's admin
    assert alice.created_at.isoformat() == "2021-01-01T09:00:00+00:00"


def test_import_keeps_channels_names_images_custom_data_and_distinct_ids(imported: Report) -> None:
    general = Channel.objects.get(cid="messaging:general")
    assert (general.name, general.image, general.created_by_id) == (
        "General",
        "https://example.com/general.png",
        "alice",
    )
    assert general.custom == {"topic": "everything", "frozen": False}
    assert (
        general.last_message_at is not None
        and general.last_message_at.isoformat() == "2021-01-03T10:06:00+00:00"
    )
    distinct = Channel.objects.get(cid=_distinct("alice", "bob"))
    assert distinct.channel_id.startswith("!members-") and len(distinct.channel_id) <= 64
    assert _distinct("bob", "alice") == distinct.cid  # the same members in any order: one channel
    members = dict(Member.objects.filter(channel=distinct).values_list("user_id", "is_owner"))
    assert members == {"alice": False, "bob": True}
    assert Message.objects.get(message_id="d1").channel == distinct


def test_import_keeps_member_roles_owners_and_read_state(imported: Report) -> None:
    general = Channel.objects.get(cid="messaging:general")
    roles = dict(Member.objects.filter(channel=general).values_list("user_id", "channel_role"))
    assert roles == {
        "alice": "channel_member",
        "bob": "channel_moderator",
        "carol": "channel_member",
        "dave": "channel_member",
    }
    assert Member.objects.get(channel=general, user_id="alice").is_owner
    reads = {r.user_id: r for r in Read.objects.filter(channel=general)}
    # Every member has a read row, where unread counts are kept; carol and dave had no last_read.
    assert set(reads) == {"alice", "bob", "carol", "dave"}
    assert reads["carol"].last_read_seq == 0 and reads["dave"].last_read_seq == 0
    assert reads["bob"].last_read_message_id == "m1"  # the newest message at bob's last_read
    # Unread counts are right: after m1, bob has not read carol's m3 (a reply shown in the
    # channel) and alice's m6; m2 is a thread reply, m4 his own, m5 deleted.
    assert queries.unread_count(general.pk, "bob", reads["bob"].last_read_seq, set()) == 2
    assert reads["alice"].last_read_message_id == "m3"
    assert queries.unread_count(general.pk, "alice", reads["alice"].last_read_seq, set()) == 1  # bob's m4
    assert (reads["bob"].unread_messages, reads["alice"].unread_messages) == (2, 1)  # the kept counts agree


def test_import_keeps_threads_quotes_mentions_pins_and_deletes(imported: Report) -> None:
    general = Channel.objects.get(cid="messaging:general")
    order = list(Message.objects.filter(channel=general).order_by("seq").values_list("message_id", flat=True))
    assert order == ["m1", "m2", "m3", "m4", "m5", "m6"]
    m1 = Message.objects.get(message_id="m1")
    assert (m1.reply_count, m1.thread_participants) == (2, ["bob", "carol"])
    assert list(m1.mentioned_users.values_list("id", flat=True)) == ["bob"]
    assert m1.pinned_by_id == "bob" and m1.pinned_at is not None
    assert m1.custom == {"html": "<p>Welcome, @bob</p>"}
    m2, m3 = Message.objects.get(message_id="m2"), Message.objects.get(message_id="m3")
    assert (m2.type, m2.parent_id, m2.show_in_channel) == ("reply", "m1", False)
    assert (m3.type, m3.parent_id, m3.show_in_channel) == ("regular", "m1", True)
    m4 = Message.objects.get(message_id="m4")
    assert m4.quoted == m1
    # Fields Jatte's Attachment has no place for are left out; so is a type it does not know.
    assert m4.attachments == [
        {"type": "image", "image_url": "https://cdn.example.com/cat.png", "title": "cat"},
        {"title": "dance", "thumb_url": "https://cdn.example.com/dance.gif"},
    ]
    m5 = Message.objects.get(message_id="m5")
    assert (m5.type, m5.text, m5.attachments) == ("deleted", "", [])
    assert m5.deleted_at is not None and m5.deleted_at.isoformat() == "2021-01-03T10:05:00+00:00"
    assert Message.objects.get(message_id="m6").type == "system"
    d1 = Message.objects.get(message_id="d1")
    assert d1.custom == {"mood": "cheerful"} and d1.updated_at.isoformat() == "2021-01-03T11:30:00+00:00"


def test_an_imported_thread_counts_only_replies_written_after_the_import_as_unread(
    imported: Report,
) -> None:
    """Stream's files hold no thread read state: what was imported is taken as read, and the first
    reply written in Jatte is one unread reply for the parent's author and each earlier replier,
    not the whole thread."""
    assert [unread_threads(user) for user in ("alice", "bob", "carol")] == [[], [], []]
    bob = Actor(id="bob", name="Bob")
    services.post_message(bob, "messaging:general", "a reply after the move", "m7", parent_id="m1")
    unread = {user: [(p, n) for p, _, _, n in unread_threads(user)] for user in ("alice", "bob", "carol")}
    assert unread == {"alice": [("m1", 1)], "bob": [], "carol": [("m1", 1)]}


def test_import_keeps_reactions_users_scores_and_groups(imported: Report) -> None:
    m1 = Message.objects.get(message_id="m1")
    rows = sorted(Reaction.objects.filter(message=m1).values_list("user_id", "type", "score"))
    assert rows == [("bob", "like", 1), ("bob", "love", 1), ("carol", "like", 2)]
    assert m1.reaction_groups == {
        "like": {
            "count": 2,
            "sum_scores": 3,
            "first_reaction_at": "2021-01-03T10:10:00+00:00",
            "last_reaction_at": "2021-01-03T10:11:00+00:00",
        },
        "love": {
            "count": 1,
            "sum_scores": 1,
            "first_reaction_at": "2021-01-03T10:12:00+00:00",
            "last_reaction_at": "2021-01-03T10:13:00+00:00",
        },
    }


def test_import_keeps_bans_and_mutes(imported: Report) -> None:
    bans = sorted(
        (b.user_id, b.channel.cid if b.channel else "", b.created_by_id or "", b.reason)
        for b in Ban.objects.select_related("channel")
    )
    assert bans == sorted(
        [
            ("dave", "", "alice", "spam"),  # app-wide, from the user record
            ("dave", "messaging:general", "", ""),  # a banned member
            ("dave", _distinct("alice", "bob"), "bob", "trolling"),  # bob's future channel ban
            ("erin", "", "", ""),  # Stream's `banned` flag
            ("erin", "livestream:town-hall", "alice", "shouting"),  # the channel's bans
        ]
    )
    assert list(Mute.objects.values_list("user_id", "target_id")) == [("alice", "dave")]


def test_import_reports_counts_per_type(imported: Report) -> None:
    assert _counts(imported) == {
        "user": {"read": 5, "imported": 5},
        "device": {"read": 1, "skipped": 1},
        "future_channel_ban": {"read": 1, "imported": 1},
        "channel": {"read": 3, "imported": 3},
        "member": {"read": 5, "imported": 4, "skipped": 1},  # bob joined the distinct channel with it
        "message": {"read": 8, "imported": 8},
        "reaction": {"read": 5, "imported": 5},
        "mute": {"read": 1, "imported": 1},
        "ban": {"read": 2, "imported": 2},
    }
    assert "devices are read and skipped: Jatte sends no push notifications" in imported.notes


def test_import_twice_changes_nothing(tmp_path: Path, imported: Report) -> None:
    before = dump()
    again, err = _import(tmp_path / "import.jsonl")
    assert again.failed_total == 0, err
    assert dump() == before
    assert {kind: counts["imported"] for kind, counts in again.counts.items() if counts["imported"]} == {}
    assert again.counts["message"]["skipped"] == 8 and again.counts["reaction"]["skipped"] == 5


def test_import_reports_every_bad_record_with_line_type_and_reason(tmp_path: Path) -> None:
    report, err = _import(write(tmp_path / "bad.jsonl", BAD_JSONL))
    got = [(f.line, f.kind, f.reason) for f in report.failures]
    assert got == [
        (5, "(unreadable)", "bad JSON: EOF while parsing a value at line 1 column 73"),
        (
            6,
            "poll",
            "unknown type 'poll' (expected one of user, device, future_channel_ban, channel, member, message, reaction, or channel_member)",
        ),
        (7, "message", "missing required field data.user"),
        (12, "message", "missing required field deleted_at (a deleted message needs it)"),
        (13, "channel", "give exactly one of id and member_ids"),
        (
            8,
            "message",
            "channel 'messaging:later' comes later in the file (line 15): a channel must come before its messages",
        ),
        (9, "message", "reply to a missing parent 'missing' (a parent must come before its replies)"),
        (11, "message", "user 'zed' does not exist (users must come before what they do)"),
        (10, "message", "duplicate id 'ok1' with different content (text); --mode upsert overwrites it"),
        (14, "reaction", "message 'nowhere' does not exist (a message must come before its reactions)"),
    ]
    for failure in report.failures:
        assert f"line {failure.line} ({failure.kind}): {failure.reason}" in err
    assert _counts(report)["message"] == {"read": 9, "imported": 2, "skipped": 1, "failed": 6}
    # Nothing of a bad record was written; the good ones around it were.
    assert set(Message.objects.values_list("message_id", flat=True)) == {"ok1", "ok2"}
    assert Message.objects.get(message_id="ok1").text == "fine"


def test_import_command_exits_non_zero_when_anything_failed(tmp_path: Path) -> None:
    out = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command(
            "import_stream", str(write(tmp_path / "bad.jsonl", BAD_JSONL)), stdout=out, stderr=io.StringIO()
        )
    assert failed.value.returncode == 1
    assert "10 records failed" in str(failed.value)
    table = out.getvalue()
    assert table.splitlines()[0].split() == ["type", "read", "imported", "skipped", "failed"]
    assert "message" in table


def test_import_command_succeeds_quietly_on_a_good_file(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command(
        "import_stream", str(write(tmp_path / "import.jsonl", IMPORT_JSONL)), stdout=out, stderr=io.StringIO()
    )
    assert "message" in out.getvalue() and Message.objects.count() == 8


def test_import_upsert_overwrites_what_insert_refuses(tmp_path: Path, imported: Report) -> None:
    changed = IMPORT_JSONL.replace('"text": "thanks!"', '"text": "thanks a lot!"').replace(
        '"name": "General"', '"name": "Everyone"'
    )
    path = write(tmp_path / "changed.jsonl", changed)
    refused, _ = _import(path)
    assert [(f.kind, f.reason.split(" (")[0]) for f in refused.failures] == [
        ("channel", "duplicate id 'messaging:general' with different content"),
        ("message", "duplicate id 'm2' with different content"),
    ]
    assert Message.objects.get(message_id="m2").text == "thanks!"
    upserted, err = _import(path, mode="upsert")
    assert upserted.failed_total == 0, err
    assert Message.objects.get(message_id="m2").text == "thanks a lot!"
    assert Channel.objects.get(cid="messaging:general").name == "Everyone"
    assert upserted.counts["message"]["imported"] == 1 and upserted.counts["message"]["skipped"] == 7


def test_import_dry_run_writes_nothing_and_reports_the_same(tmp_path: Path) -> None:
    report, _ = _import(write(tmp_path / "bad.jsonl", BAD_JSONL), dry_run=True)
    assert report.failed_total == 10
    assert Message.objects.count() == 0 and ChatUser.objects.count() == 0 and Channel.objects.count() == 0


def test_import_orders_messages_by_time_whatever_the_file_order(tmp_path: Path) -> None:
    lines = [
        {"type": "user", "data": {"id": "alice"}},
        {"type": "channel", "data": {"type": "messaging", "id": "general", "created_by": "alice"}},
        {
            "type": "member",
            "data": {
                "channel_type": "messaging",
                "channel_id": "general",
                "user_id": "alice",
                "last_read": "2021-01-03T10:01:30Z",
            },
        },
    ]
    for message_id, minute in (("late", 3), ("early", 1), ("middle", 2)):
        lines.append(
            {
                "type": "message",
                "data": {
                    "id": message_id,
                    "channel_type": "messaging",
                    "channel_id": "general",
                    "user": "alice",
                    "text": message_id,
                    "created_at": f"2021-01-03T10:0{minute}:00Z",
                },
            }
        )
    lines.append(
        {
            "type": "reaction",
            "data": {
                "message_id": "early",
                "type": "like",
                "user_id": "alice",
                "created_at": "2021-01-03T10:05:00Z",
            },
        }
    )
    report, err = _import(write(tmp_path / "shuffled.jsonl", "\n".join(json.dumps(x) for x in lines)))
    assert report.failed_total == 0, err
    order = list(Message.objects.order_by("seq").values_list("message_id", flat=True))
    assert order == ["early", "middle", "late"]
    assert Reaction.objects.get().message.message_id == "early"  # reactions follow their message
    assert Read.objects.get().last_read_message_id == "early"
    assert any("out of time order" in note for note in report.notes)


@pytest.mark.parametrize("shape", ["lines", "legacy array"])
def test_import_takes_nul_as_the_replacement_character_and_loses_no_record(
    tmp_path: Path, shape: str
) -> None:
    """PostgreSQL can store no U+0000: a user whose name held one failed, and took their channel, its
    members and messages with them. Both databases are given U+FFFD in its place."""
    records = [
        {"type": "user", "data": {"id": "nina", "name": "Ni\x00na"}},
        {
            "type": "channel",
            "data": {"type": "messaging", "id": "nul", "created_by": "nina", "name": "n\x00ul"},
        },
        {"type": "member", "data": {"channel_type": "messaging", "channel_id": "nul", "user_id": "nina"}},
        {
            "type": "message",
            "data": {
                "id": "n1",
                "channel_type": "messaging",
                "channel_id": "nul",
                "user": "nina",
                "text": "a\x00b \\u0000",
                "created_at": "2021-01-01T00:00:00Z",
            },
        },
    ]
    if shape == "lines":
        text = "\n".join(json.dumps(r) for r in records)
    else:
        text = json.dumps([{"type": r["type"], "item": r["data"]} for r in records])
    report, err = _import(write(tmp_path / "nul.json", text))
    assert report.failed_total == 0, err
    assert ChatUser.objects.get(id="nina").name == "Ni\ufffdna"
    assert Channel.objects.get(cid="messaging:nul").name == "n\ufffdul"
    assert Message.objects.get(message_id="n1").text == "a\ufffdb \\u0000"


def test_import_reads_the_legacy_array(tmp_path: Path) -> None:
    report, err = _import(write(tmp_path / "legacy.json", LEGACY_JSON))
    assert report.format == "legacy"
    assert [(f.line, f.kind) for f in report.failures] == [(18, "reel")]
    assert Message.objects.get(message_id="m2").parent_id == "m1"
    assert Message.objects.get(message_id="m1").reply_count == 1
    assert Reaction.objects.count() == 1 and "legacy JSON array" in err


@pytest.mark.parametrize("shape", ["object", "array", "lines"])
def test_import_reads_the_channel_export_v1(tmp_path: Path, shape: str) -> None:
    other = json.loads(
        json.dumps(EXPORT_V1)
        .replace('"general"', '"random"')
        .replace("messaging:general", "messaging:random")
        .replace('"m1"', '"r1"')
        .replace('"m2"', '"r2"')
        .replace('"m3"', '"r3"')
    )
    text = {
        "object": json.dumps(EXPORT_V1, indent=2),
        "array": json.dumps([EXPORT_V1, other], indent=2),
        "lines": json.dumps(EXPORT_V1) + "\n" + json.dumps(other) + "\n",
    }[shape]
    report, err = _import(write(tmp_path / "export.json", text))
    assert report.format == "export-v1" and report.failed_total == 0, err
    general = Channel.objects.get(cid="messaging:general")
    assert general.name == "General" and general.custom == {"colour": "teal", "frozen": False}
    assert ChatUser.objects.get(id="bob").image == "https://example.com/bob.png"
    assert ChatUser.objects.get(id="alice").role == "admin"
    assert Member.objects.get(channel=general, user_id="bob").channel_role == "channel_moderator"
    m1 = Message.objects.get(message_id="m1")
    assert (m1.reply_count, m1.thread_participants, m1.custom) == (1, ["bob"], {"html": "<p>hello</p>"})
    assert list(Message.objects.get(message_id="m2").mentioned_users.values_list("id", flat=True)) == [
        "alice"
    ]
    assert Message.objects.get(message_id="m3").type == "deleted"
    assert [(r.user_id, r.type) for r in Reaction.objects.filter(message=m1)] == [("bob", "love")]
    # The export has no read state: members start with everything read.
    assert {r.user_id: r.last_read_message_id for r in Read.objects.filter(channel=general)} == {
        "alice": "m3",
        "bob": "m3",
    }
    if shape != "object":
        assert Message.objects.filter(channel__cid="messaging:random").count() == 3


def test_import_reads_a_gzipped_file(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "import.jsonl.gz"
    path.write_bytes(gzip.compress(IMPORT_JSONL.encode()))
    report, err = _import(path)
    assert report.failed_total == 0, err
    assert Message.objects.count() == 8


class _Files(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/missing.png":
            self.send_error(404)
            return
        body = b"picture:" + self.path.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def file_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Files)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_import_fetches_attachments_into_storage_when_asked(
    tmp_path: Path, file_server: str, settings: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MEDIA_URL = "/media/"
    lines = [
        {"type": "user", "data": {"id": "alice"}},
        {"type": "channel", "data": {"type": "messaging", "id": "general", "created_by": "alice"}},
        {
            "type": "message",
            "data": {
                "id": "m1",
                "channel_type": "messaging",
                "channel_id": "general",
                "user": "alice",
                "text": "look",
                "attachments": [
                    {"type": "image", "image_url": f"{file_server}/cat.png"},
                    {"type": "file", "asset_url": f"{file_server}/missing.png"},
                ],
            },
        },
    ]
    report, err = _import(
        write(tmp_path / "a.jsonl", "\n".join(json.dumps(x) for x in lines)), fetch_attachments=True
    )
    attachments = Message.objects.get().attachments
    assert attachments[0]["image_url"].startswith("/media/imports/") and attachments[0]["image_url"].endswith(
        "/cat.png"
    )
    stored = next((tmp_path / "media" / "imports").glob("*/cat.png"))
    assert stored.read_bytes() == b"picture:/cat.png"
    assert attachments[1]["asset_url"] == f"{file_server}/missing.png"  # kept as it was
    assert [(f.kind, "404" in f.reason) for f in report.failures] == [("attachment", True)]
    assert _counts(report)["attachment"] == {"read": 2, "imported": 1, "failed": 1}
    assert "line 3 (attachment)" in err


@pytest.mark.parametrize("text", [IMPORT_JSONL, BAD_JSONL], ids=["good", "bad"])
def test_import_read_in_a_process_gives_what_a_thread_gives(tmp_path: Path, text: str) -> None:
    """A large file is read by a forked process; what lands and what is reported are the same."""
    path = write(tmp_path / "import.jsonl", text)
    now = timezone.now()
    threaded, _ = _import(path, reader="thread", now=now)
    by_thread = dump()
    _empty()
    forked, _ = _import(path, reader="process", now=now)
    assert dump() == by_thread
    assert _counts(forked) == _counts(threaded)
    assert forked.failures == threaded.failures


def _empty() -> None:
    for model in (Reaction, Read, Ban, Mute, Message, Member, Channel, ChatUser):
        model.objects.all().delete()


def test_progress_is_plain_periodic_lines_off_a_terminal_and_a_bar_on_one() -> None:
    from chat.importing.report import Progress

    plain = io.StringIO()
    progress = Progress(1000, plain, terminal=False, every=0)
    progress.update(500, 1234)
    assert plain.getvalue().startswith("import: 1,234 records, 50% of the file, ")
    assert "records/s, ETA" in plain.getvalue() and plain.getvalue().endswith("\n")
    bar = io.StringIO()
    progress = Progress(1000, bar, terminal=True)
    progress.update(1000, 99)
    progress.close(1000)
    assert "100%" in bar.getvalue() and "\r" in bar.getvalue()


def _schema() -> list[tuple[Any, ...]]:
    """The indexes and triggers of the database, by name and definition."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger', 'table')"
                " ORDER BY type, name"
            )
        else:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' UNION ALL"
                " SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE connamespace = 'public'::regnamespace ORDER BY 1"
            )
        return list(cursor.fetchall())


def _derived_columns() -> list[tuple[Any, ...]]:
    """Each message's threads and reactions as stored (the database's own text of them)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT message_id, reply_count, CAST(thread_participants AS text), CAST(reaction_groups AS text)"
            " FROM chat_message ORDER BY seq"
        )
        return list(cursor.fetchall())


def _closing_passes_change_nothing() -> None:
    from chat.importing import derived

    before = _derived_columns()
    channels = list(Channel.objects.values_list("id", flat=True))
    derived.threads(channels)
    derived.reactions(channels)
    assert _derived_columns() == before


def test_import_into_empty_tables_sets_their_indexes_aside_and_makes_every_one_again(tmp_path: Path) -> None:
    from .stream_files import write_generated

    before = _schema()
    report, err = _import(write_generated(tmp_path / "history.jsonl", 600))
    assert report.failed_total == 0, err
    assert any("indexes made again" in timing for timing in report.timings)  # they were set aside
    assert _schema() == before


def test_imported_messages_are_found_by_the_full_text_index(imported: Report) -> None:
    """The index the import rebuilt (on SQLite its triggers were set aside) holds every text."""
    from django.db import connection

    from chat.search_index import FTS_TABLE, PG_COLUMN

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"SELECT m.message_id FROM {FTS_TABLE} f JOIN chat_message m ON m.seq = f.rowid"
                f" WHERE {FTS_TABLE} MATCH %s",
                ["live"],
            )
        else:
            cursor.execute(
                f"SELECT message_id FROM chat_message WHERE {PG_COLUMN} @@ to_tsquery('simple', %s)", ["live"]
            )
        assert [row[0] for row in cursor.fetchall()] == ["l1"]  # "we are live", in the town hall


def test_import_first_pass_writes_threads_and_reactions_as_the_closing_passes_would(tmp_path: Path) -> None:
    """Read twice, a file's messages are written with their reply counts, thread participants and
    reaction groups: the closing passes are not run, and would change nothing."""
    from .stream_files import write_generated

    path = write_generated(tmp_path / "history.jsonl", 600)
    with path.open("a") as out:  # a message with three types of reaction, one spelled beyond ASCII
        for user, kind, second in (("u1", "love", 5), ("u2", "héart", 5), ("u3", "love", 7)):
            at = f"2022-01-01T00:00:{second:02d}.250000Z"
            data = {"message_id": "m0", "type": kind, "user_id": user, "created_at": at, "score": 2}
            out.write(json.dumps({"type": "reaction", "data": data}, ensure_ascii=False) + "\n")
    report, err = _import(path, first_pass=True)
    assert report.failed_total == 0, err
    assert any("threads and reactions written with their messages" in timing for timing in report.timings)
    stored = _derived_columns()
    assert any(count for _, count, _, _ in stored) and any(groups != "{}" for *_, groups in stored)
    assert set(Message.objects.get(message_id="m0").reaction_groups) >= {"love", "héart"}
    _closing_passes_change_nothing()


def test_import_first_pass_leaves_the_closing_passes_to_run_when_a_record_fails(tmp_path: Path) -> None:
    from .stream_files import write_generated

    path = write_generated(tmp_path / "history.jsonl", 600)
    with path.open("a") as out:  # a reaction by nobody, to a message the first pass counted for
        out.write(
            json.dumps(
                {
                    "type": "reaction",
                    "data": {
                        "message_id": "m0",
                        "type": "like",
                        "user_id": "nobody",
                        "created_at": "2022-01-01T01:00:00Z",
                    },
                }
            )
            + "\n"
        )
    report, _ = _import(path, first_pass=True)
    assert [(f.kind, "nobody" in f.reason) for f in report.failures] == [("reaction", True)]
    assert not any("written with their messages" in timing for timing in report.timings)
    _closing_passes_change_nothing()


def test_import_of_a_file_partly_stored_already_adds_the_rest_as_one_import_would(tmp_path: Path) -> None:
    """Every other message stored first: each batch of the second import is half new, half known,
    and each new message gets its own seq (its mentions, quotes, reactions and replies follow it)."""
    from .stream_files import write_generated

    path = write_generated(tmp_path / "history.jsonl", 600)
    _import(path)
    once = dump()
    _empty()
    lines = path.read_text().splitlines(keepends=True)
    messages = [i for i, line in enumerate(lines) if json.loads(line)["type"] == "message"]
    half = write(
        tmp_path / "half.jsonl", "".join(line for i, line in enumerate(lines) if i not in messages[1::2])
    )
    _import(half)
    report, err = _import(path)
    assert report.failed_total == 0, err
    assert report.counts["message"]["imported"] == len(messages[1::2])
    assert dump() == once
