"""An import killed half-way (SIGKILL) and run again ends in the same database as one clean run."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from .stream_files import write_generated

BACKEND = Path(__file__).resolve().parent.parent
MESSAGES = 5_000


def _env(database: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_SETTINGS_MODULE": "jatte.settings"}


def _import(database: Path, path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "manage.py", "import_stream", str(path), "--batch", "100"],
        cwd=BACKEND,
        env=_env(database),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stored(database: Path) -> int:
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1) as db:
            (count,) = db.execute("SELECT COUNT(*) FROM chat_message").fetchone()
            return int(count)
    except sqlite3.OperationalError:  # locked by the writer for a moment
        return 0


# Every table the import writes, by public ids (no pks, no seqs), messages in channel order.
_DUMP = {
    "users": "SELECT id, name, image, role, custom, created_at, updated_at FROM chat_chatuser ORDER BY id",
    "channels": "SELECT cid, name, custom, created_by_id, created_at, updated_at, last_message_at"
    " FROM chat_channel ORDER BY cid",
    "members": "SELECT c.cid, m.user_id, m.is_owner, m.channel_role, m.created_at FROM chat_member m"
    " JOIN chat_channel c ON c.id = m.channel_id ORDER BY c.cid, m.user_id",
    "messages": "SELECT c.cid, m.message_id, m.user_id, m.text, m.type, m.parent_id, m.show_in_channel,"
    " m.reply_count, m.thread_participants, q.message_id, m.attachments, m.reaction_groups, m.custom,"
    " m.created_at, m.updated_at, m.deleted_at FROM chat_message m JOIN chat_channel c ON c.id = m.channel_id"
    " LEFT JOIN chat_message q ON q.seq = m.quoted_id ORDER BY c.cid, m.seq",
    "reactions": "SELECT m.message_id, r.user_id, r.type, r.score, r.created_at, r.updated_at FROM chat_reaction r"
    " JOIN chat_message m ON m.seq = r.message_id ORDER BY 1, 2, 3",
    "reads": "SELECT c.cid, r.user_id, r.last_read, r.last_read_message_id FROM chat_read r"
    " JOIN chat_channel c ON c.id = r.channel_id ORDER BY 1, 2",
}


def _dump(database: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(database) as db:
        return {name: db.execute(query).fetchall() for name, query in _DUMP.items()}


def test_import_killed_mid_way_then_run_again_ends_as_one_clean_run(tmp_path: Path) -> None:
    path = write_generated(tmp_path / "history.jsonl", MESSAGES)
    clean, killed = tmp_path / "clean.sqlite3", tmp_path / "killed.sqlite3"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=BACKEND,
        env=_env(clean),
        check=True,
        timeout=120,
    )
    shutil.copyfile(clean, killed)

    run = _import(killed, path)
    deadline = time.monotonic() + 120
    while _stored(killed) < MESSAGES // 4:
        assert run.poll() is None, f"the import ended before it could be killed: {run.communicate()}"
        assert time.monotonic() < deadline, "the import stored nothing within 120 s"
        time.sleep(0.05)
    run.send_signal(signal.SIGKILL)
    run.communicate(timeout=30)
    assert run.returncode == -signal.SIGKILL
    half = _stored(killed)
    assert 0 < half < MESSAGES  # stopped half-way, with whole batches only

    again, once = _import(killed, path), _import(clean, path)  # side by side: the machine has two cores
    for run in (again, once):
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        assert out.splitlines()[0].split() == ["type", "read", "imported", "skipped", "failed"]

    assert _stored(killed) == _stored(clean) == MESSAGES
    assert _dump(killed) == _dump(clean)
