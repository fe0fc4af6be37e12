"""Exporting: Stream's import format that, imported into an empty database, gives back every
channel, member, message, reaction and read mark (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from chat.importing.exporter import export_lines
from chat.importing.importer import run_import
from chat.models import Ban, Channel, ChatUser, Flag, Member, Message, Mute, Reaction, Read

from .stream_files import dump, seed

BACKEND = Path(__file__).resolve().parent.parent


def _empty_chat() -> None:
    for model in (Flag, Reaction, Read, Ban, Mute, Message, Member, Channel, ChatUser):
        model.objects.all().delete()


def _records(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


@pytest.mark.django_db
def test_export_then_import_into_an_empty_database_gives_everything_back(tmp_path: Path) -> None:
    seed()
    before = dump()
    path = tmp_path / "export.jsonl"
    path.write_text("".join(export_lines()))
    _empty_chat()
    assert dump()["messages"] == {}
    report = run_import(path, err=io.StringIO(), terminal=False)
    assert report.failed_total == 0, report.failures
    assert dump() == before
    # The export writes what the import reads first: users, then channels, members, messages, reactions.
    kinds = [record["type"] for record in _records(path.read_text())]
    assert kinds == sorted(kinds, key=["user", "channel", "member", "message", "reaction"].index)


@pytest.mark.django_db
def test_export_writes_stream_fields_and_jattes_own(tmp_path: Path) -> None:
    seed()
    records = _records("".join(export_lines()))
    by_id = {r["data"].get("id"): r["data"] for r in records if r["type"] in {"user", "message"}}
    assert by_id["g2"]["type"] == "reply" and by_id["g2"]["parent_id"] == "g1"
    assert by_id["g3"]["show_in_channel"] is True
    assert by_id["g5"]["quoted_message_id"] == "g1"
    assert by_id["g1"]["mentioned_users_ids"] == ["bob"] and by_id["g1"]["pinned_by_id"] == "bob"
    assert by_id["g6"]["type"] == "deleted" and by_id["g6"]["text"] == "" and "deleted_at" in by_id["g6"]
    assert "g7" not in by_id  # deleted for good
    assert by_id["alice"]["role"] == "admin" and by_id["alice"]["user_mutes"] == ["bob"]
    assert by_id["carol"]["ban"]["reason"] == "everywhere"
    general = next(r["data"] for r in records if r["type"] == "channel" and r["data"]["id"] == "general")
    assert [b["user_id"] for b in general["bans"]] == ["carol"] and general["name"] == "General"
    bob = next(
        r["data"]
        for r in records
        if r["type"] == "member" and r["data"]["user_id"] == "bob" and r["data"]["channel_id"] == "general"
    )
    assert (bob["channel_role"], bob["last_read_message_id"]) == ("channel_moderator", "g3")
    assert all(r["data"]["created_at"].endswith("Z") for r in records if r["type"] == "message")


@pytest.mark.django_db
def test_export_of_some_channels_carries_only_what_they_need(tmp_path: Path) -> None:
    seed()
    records = _records("".join(export_lines(["livestream:town"])))
    assert {r["data"]["id"] for r in records if r["type"] == "channel"} == {"town"}
    assert {r["data"]["id"] for r in records if r["type"] == "message"} == {"t1"}
    assert {r["data"]["id"] for r in records if r["type"] == "user"} == {"bob", "carol"}
    assert [r["data"]["type"] for r in records if r["type"] == "reaction"] == ["wow"]
    with pytest.raises(LookupError, match="no such channel: messaging:nowhere"):
        list(export_lines(["messaging:nowhere"]))


@pytest.mark.django_db
def test_export_since_keeps_later_messages_and_every_channel(tmp_path: Path) -> None:
    seed()
    since = Message.objects.get(message_id="g8").created_at
    records = _records("".join(export_lines(None, since)))
    messages = {r["data"]["id"] for r in records if r["type"] == "message"}
    assert "g8" in messages and "t1" in messages and "g2" not in messages
    assert {r["data"]["id"] for r in records if r["type"] == "channel"} == {"general", "town"}


@pytest.mark.django_db
def test_export_command_writes_the_lines_to_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed()
    call_command("export_stream", "--channel", "messaging:general")
    records = _records(capsys.readouterr().out)
    assert {r["data"]["id"] for r in records if r["type"] == "channel"} == {"general"}
    assert (
        len([r for r in records if r["type"] == "message"])
        == Message.objects.filter(channel__cid="messaging:general").count()
    )


@pytest.mark.django_db
def test_admin_exports_the_chosen_channels() -> None:
    seed()
    operator = Client()
    operator.force_login(User.objects.create_superuser("op", "op@example.com", "pw"))
    town = Channel.objects.get(cid="livestream:town")
    answer = operator.post(
        "/admin/chat/channel/", {"action": "export_channels", "_selected_action": [str(town.pk)]}
    )
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/x-ndjson"
    assert 'filename="jatte-export-' in answer["Content-Disposition"]
    records = _records(b"".join(answer.streaming_content).decode())  # type: ignore[attr-defined]
    assert {r["data"]["id"] for r in records if r["type"] == "channel"} == {"town"}


_ROUND_TRIP = """
import io, json, sys
from pathlib import Path
from django.core.management import call_command
from chat.importing.exporter import export_lines
from chat.importing.importer import run_import
from tests.stream_files import dump, seed
from tests.test_export import _empty_chat

call_command("migrate", verbosity=0)
seed()
before = dump()
path = Path(sys.argv[1])
path.write_text("".join(export_lines()))
_empty_chat()
report = run_import(path, err=io.StringIO(), terminal=False)
after = dump()
again = run_import(path, err=io.StringIO(), terminal=False)
print(json.dumps({
    "before": before,
    "after": after,
    "again": dump(),
    "failed": [str(f) for f in report.failures + again.failures],
    "imported_again": sum(c["imported"] for c in again.counts.values()),
}))
"""


@pytest.mark.postgres
def test_export_then_import_round_trips_on_postgresql(tmp_path: Path, postgres_url: str) -> None:
    """Seeded, exported, emptied, imported (twice) in one process on a fresh PostgreSQL database."""
    env = {
        **os.environ,
        "DATABASE_URL": postgres_url,
        "DJANGO_SETTINGS_MODULE": "jatte.settings",
        "PYTHONPATH": str(BACKEND),
    }
    script = "import django; django.setup()\n" + _ROUND_TRIP
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "export.jsonl")],
        cwd=BACKEND,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["failed"] == []
    assert found["after"] == found["before"]
    assert found["again"] == found["after"] and found["imported_again"] == 0  # a rerun changes nothing
    assert found["after"]["messages"]["messaging:general"][0]["reaction_groups"]["like"]["count"] == 2
