"""History imported from a Stream export shows in the demo: messages in order, a thread, reactions."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from conftest import Backend, OpenDemo
from playwright.sync_api import expect


def _stream_file(path: Path, channel_id: str, tag: str) -> Path:
    """Stream's import format, written by hand: the demo's two users, a channel, a thread, reactions."""
    records = [
        {"type": "user", "data": {"id": "alice", "name": "Alice", "created_at": "2021-01-01T09:00:00Z"}},
        {"type": "user", "data": {"id": "bob", "name": "Bob", "created_at": "2021-01-01T09:00:00Z"}},
        {
            "type": "channel",
            "data": {
                "type": "messaging",
                "id": channel_id,
                "created_by": "alice",
                "name": "Imported",
                "created_at": "2021-01-02T00:00:00Z",
            },
        },
        {
            "type": "member",
            "data": {
                "channel_type": "messaging",
                "channel_id": channel_id,
                "user_id": "alice",
                "last_read": "2021-01-03T10:05:00Z",
            },
        },
        {"type": "member", "data": {"channel_type": "messaging", "channel_id": channel_id, "user_id": "bob"}},
        {
            "type": "message",
            "data": {
                "id": f"{tag}-1",
                "channel_type": "messaging",
                "channel_id": channel_id,
                "user": "alice",
                "text": f"from Stream {tag}",
                "created_at": "2021-01-03T10:00:00Z",
            },
        },
        {
            "type": "message",
            "data": {
                "id": f"{tag}-2",
                "channel_type": "messaging",
                "channel_id": channel_id,
                "user": "bob",
                "text": f"a threaded answer {tag}",
                "parent_id": f"{tag}-1",
                "created_at": "2021-01-03T10:01:00Z",
            },
        },
        {
            "type": "message",
            "data": {
                "id": f"{tag}-3",
                "channel_type": "messaging",
                "channel_id": channel_id,
                "user": "bob",
                "text": f"and years later {tag}",
                "created_at": "2021-01-03T10:02:00Z",
            },
        },
        {
            "type": "reaction",
            "data": {
                "message_id": f"{tag}-1",
                "type": "like",
                "user_id": "bob",
                "created_at": "2021-01-03T10:03:00Z",
            },
        },
        {
            "type": "reaction",
            "data": {
                "message_id": f"{tag}-1",
                "type": "like",
                "user_id": "alice",
                "created_at": "2021-01-03T10:04:00Z",
            },
        },
    ]
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    return path


def test_demo_shows_history_imported_from_stream(
    backend: Backend, open_demo: OpenDemo, tmp_path: Path
) -> None:
    """After `import_stream`, Alice opens the channel: the messages in order, the thread's reply
    count and reply, and the reactions with their count."""
    tag = uuid.uuid4().hex[:8]
    channel_id = f"imported-{tag}"
    # Alice and Bob have signed in to this backend already (other tests): upsert, as a team whose
    # users tried Jatte before moving their history would.
    stream_file = _stream_file(tmp_path / "stream.jsonl", channel_id, tag)
    table = backend.manage("import_stream", str(stream_file), "--mode", "upsert")
    assert table.splitlines()[0].split() == ["type", "read", "imported", "skipped", "failed"]

    alice = open_demo("alice", channel=channel_id)
    first, later = alice.message(f"from Stream {tag}"), alice.message(f"and years later {tag}")
    expect(first).to_have_count(1)
    expect(later).to_have_count(1)
    ids = alice.page.get_by_test_id("message").evaluate_all(
        "(items) => items.map((item) => item.dataset.messageId)"
    )
    assert ids.index(f"{tag}-1") < ids.index(f"{tag}-3")
    expect(alice.message(f"a threaded answer {tag}")).to_have_count(0)  # a reply lives in its thread

    chip = first.locator('[data-testid="reaction-chip"][data-type="like"]')
    expect(chip.get_by_test_id("reaction-count")).to_have_text("2")
    expect(chip).to_have_attribute("data-own", "true")
    summary = first.get_by_test_id("reply-count")
    expect(summary).to_have_text("1 reply")
    summary.click()
    expect(alice.reply(f"a threaded answer {tag}")).to_contain_text("Bob")
