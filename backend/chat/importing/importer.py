"""One import: read the file's values, turn them into records, hand them to the writer, report.

Reading (parsing, validating, preparing each message's columns) runs beside writing: in a forked
process for a large JSON Lines file, which takes a core of its own, otherwise in a thread (the
database's own work, SQLite's C code or PostgreSQL's server, runs without the GIL, so even a thread
overlaps with it). Either way the reader hands over chunks of plain tuples:

- `(line, kind, data, prepared)`: a valid record (`data` is None when `prepared` holds all of it);
- `(line, kind, reason)`: a refused one; `(line, "", reason)`: the file broke there, nothing after;
- `("ahead", (exact, seconds))`, last: whether what the first pass over the file found
  (chat.importing.ahead) was met again record by record, so that the messages were written with
  their final threads and reaction groups, and how long that pass took (None: there was none).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import queue
import resource
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from chat.importing import ahead, formats, indexes, sql
from chat.importing.ahead import Ahead
from chat.importing.attachments import Fetcher
from chat.importing.report import Progress, Report
from chat.importing.rules import (
    UNREADABLE,
    BadRecord,
    ChannelExport,
    Record,
    cid_of,
    from_legacy,
    from_line,
    from_object,
)
from chat.importing.sql import Adapt
from chat.importing.writer import ASIDE_BATCH, BATCH, Writer, prepared
from chat.models import Message

__all__ = ["MODES", "READERS", "run_import"]

MODES = ("insert", "upsert")
READERS = ("auto", "thread", "process")
PROCESS_FROM = 16 << 20  # bytes of JSON Lines from which `auto` reads in a process of its own
_CHUNK = 1024  # items handed over at a time
_AHEAD = 32  # chunks the reader may be ahead of the writer: more than a batch of ASIDE_BATCH, so that
# it reads the next batch while the writer writes one (with 8, the two took turns: 10 s of 58, PostgreSQL)

Item = tuple[Any, ...]
Chunk = tuple[list[Item], int]  # the items and how far into the file (bytes) they reach


def _records(source: formats.Source, export: ChannelExport) -> list[Record]:
    shape = source.shape
    if shape == "line":
        return [from_line(source.line, source.value)]
    if shape == "record":
        return [from_object(source.line, source.value)]
    if shape == "legacy":
        return [from_legacy(source.line, source.value)]
    if shape == "channel":
        return export.on_channel(source.line, source.value)
    if shape == "member":
        return export.on_member(source.line, source.value)
    return export.on_message(source.line, source.value)


def _first_pass(path: Path, adapt: Adapt) -> Ahead | None:
    stream, raw = formats.open_file(path)
    with contextlib.closing(raw):
        return ahead.scan(enumerate(stream, start=1), adapt)


def _chunks(
    sources: Iterator[formats.Source],
    export: ChannelExport,
    raw: IO[bytes],
    now: datetime,
    adapt: Adapt,
    first_pass: Path | None = None,
) -> Iterator[Chunk]:
    """The file's items, a chunk at a time (what either reader hands over), after the first pass
    over the file at `first_pass` (JSON Lines), whose checking ends them with `("ahead", ...)`."""
    started = time.monotonic()
    found = _first_pass(first_pass, adapt) if first_pass is not None else None
    took = time.monotonic() - started if first_pass is not None else None
    items: list[Item] = []
    for source in sources:
        if source.shape == "error":
            items.append((source.line, "", str(source.value)))
            break
        try:
            for record in _records(source, export):
                ready = prepared(record, now, adapt, found)
                items.append((record.line, record.kind, None if ready is not None else record.data, ready))
        except BadRecord as bad:
            items.append((source.line, bad.kind, bad.reason))
        if len(items) >= _CHUNK:
            yield items, raw.tell()
            items = []
    items.append(("ahead", (found is not None and found.exact(), took)))
    yield items, raw.tell()


def run_import(
    path: Path,
    mode: str = "insert",
    dry_run: bool = False,
    fetch_attachments: bool = False,
    err: IO[str] | None = None,
    terminal: bool | None = None,
    batch: int | None = None,
    reader: str = "auto",
    now: datetime | None = None,
    first_pass: bool | None = None,
) -> Report:
    """Imports the file and returns what happened; bad records are written to `err` as they come.

    `batch` is the records of a type per transaction (BATCH, or ASIDE_BATCH for a large import);
    `now` the time given to what the file leaves undated (the moment of the import by default);
    `first_pass` whether a JSON Lines file is read twice, the first time for its threads and
    reactions (chat.importing.ahead): by default on PostgreSQL, where it saves rewriting half the
    messages; SQLite rewrites them in less time than the first pass takes.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if reader not in READERS:
        raise ValueError(f"reader must be one of {', '.join(READERS)}, not {reader!r}")
    err = err if err is not None else sys.stderr
    started_at = resource.getrusage(resource.RUSAGE_SELF)
    cpu_at_start = started_at.ru_utime + started_at.ru_stime
    stream, raw = formats.open_file(path)
    with contextlib.closing(raw):
        form = formats.detect(stream)
        report = Report(out=err, format=form)
        err.write(
            f"import: {path}: {formats.FORMATS[form]}, mode {mode}"
            + (" (dry run: checked, then rolled back)" if dry_run else "")
            + "\n"
        )
        progress = Progress(path.stat().st_size, err, err.isatty() if terminal is None else terminal)
        aside = not dry_run and indexes.worth_setting_aside(path.stat().st_size)
        fresh = False  # the message tables are empty: the closing passes take them whole
        if aside:
            if indexes.pending():
                err.write(
                    "import: an import stopped before it made the message tables' indexes again;"
                    " this one makes them at its end\n"
                )
            else:
                fresh = not Message.objects.exists()
            err.write(
                "import: a large import: the message tables' indexes are set aside until its end"
                " (stopped before then, run it again: it makes them)\n"
            )
            indexes.set_aside()
        if batch is None:
            batch = ASIDE_BATCH if aside else BATCH
        if first_pass is None:
            first_pass = connection.vendor == "postgresql"
        ahead_of = path if first_pass and form == "jsonl" else None
        if ahead_of is not None:
            err.write("import: reading the file once first, for its threads and reactions\n")
        writer = Writer(
            report,
            now or timezone.now(),
            mode,
            batch,
            Fetcher() if fetch_attachments else None,
            aside=aside,
            fresh=fresh,
        )
        writer.first_pass = ahead_of is not None
        export = ChannelExport()
        if reader == "auto":
            large = form == "jsonl" and path.stat().st_size >= PROCESS_FROM
            reader = "process" if large and "fork" in multiprocessing.get_all_start_methods() else "thread"
        if reader == "process" and form != "jsonl":
            reader = "thread"  # a channel export's reader keeps state across records
        with sql.bulk(), transaction.atomic() if dry_run else contextlib.nullcontext():
            try:
                if reader == "process":
                    raw.seek(0)
                    chunks = _in_process(path, writer.now, writer.adapt, ahead_of is not None)
                else:
                    chunks = _in_thread(
                        _chunks(
                            formats.read(stream, form),
                            export,
                            raw,
                            writer.now,
                            writer.adapt,
                            ahead_of,
                        )
                    )
                started = time.monotonic()
                try:
                    _feed(chunks, writer, report, progress)
                    writer.flush()
                except BaseException:
                    if aside:  # left as it was found, but for the records written
                        _put_back(err, writer)
                    raise
                report.timings.append(f"records read and written: {time.monotonic() - started:.1f} s")
                writer.finish()
            finally:
                progress.close(raw.tell() if reader == "thread" else path.stat().st_size)
            if dry_run:
                transaction.set_rollback(True)
    used, reader_used = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    report.timings.append(
        f"processor time: {used.ru_utime + used.ru_stime - cpu_at_start:.1f} s writing"
        + (
            f", {reader_used.ru_utime + reader_used.ru_stime:.1f} s in the reader process"
            if reader == "process"
            else ""
        )
    )
    if writer.disordered:
        report.notes.append(
            f"{len(writer.disordered):,} channels had messages out of time order: their order follows created_at"
        )
    if writer.channel_mutes_dropped:
        report.notes.append(
            f"{writer.channel_mutes_dropped:,} users had channel_mutes, which Jatte does not have: left out"
        )
    if report.counts.get("device"):
        report.notes.append("devices are read and skipped: Jatte sends no push notifications")
    if export.fewer_reactions:
        report.notes.append(
            f"{export.fewer_reactions:,} messages count more reactions than the export embeds"
            " (reaction_counts): only the embedded ones, with their users, were imported"
        )
    return report


def _put_back(err: IO[str], writer: Writer) -> None:
    """The indexes an import set aside, made again when it stops on an error or Ctrl-C; when that
    fails too, the next import makes them."""
    err.write("import: stopping; making the message tables' indexes again ...\n")
    try:
        indexes.put_back(writer.early)
    except (DatabaseError, KeyboardInterrupt) as failure:
        err.write(
            f"import: the indexes were not made again ({type(failure).__name__}); the next import makes them\n"
        )


def _hand_over(out: Any, item: Any, stop: Callable[[], bool]) -> bool:
    while not stop():
        try:
            out.put(item, timeout=0.1)
            return True
        except queue.Full:
            continue
    return False


def _in_thread(chunks: Iterator[Chunk]) -> Iterator[Chunk]:
    """The chunks, read ahead by a thread."""
    handed: queue.Queue[Any] = queue.Queue(maxsize=_AHEAD)
    stop = threading.Event()

    def read() -> None:
        try:
            for chunk in chunks:
                if not _hand_over(handed, chunk, stop.is_set):
                    return
            _hand_over(handed, None, stop.is_set)
        except BaseException as failure:  # raised again in the writer's thread
            _hand_over(handed, failure, stop.is_set)

    thread = threading.Thread(target=read, name="import-reader", daemon=True)
    thread.start()
    try:
        while (chunk := handed.get()) is not None:
            if isinstance(chunk, BaseException):
                raise chunk
            yield chunk
    finally:
        stop.set()
        thread.join()


def _read_in_child(path: Path, out: Any, now: datetime, adapt: Adapt, first_pass: bool) -> None:
    """The reader process (forked): the file's chunks into `out`, then None. It leaves through
    os._exit, so nothing it inherited (the database connection above all) is closed or flushed."""
    status = 0
    try:
        stream, raw = formats.open_file(path)
        ahead_of = path if first_pass else None
        for chunk in _chunks(formats.read(stream, "jsonl"), ChannelExport(), raw, now, adapt, ahead_of):
            # Pickled here, not by the queue's feeder thread when the writer asks: the writer then
            # waited for a chunk to be pickled, and the two threads took turns for the GIL (a fifth
            # of a PostgreSQL import's time: 55 s for a million messages, 45 s pickled here).
            out.put(pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL))
        out.put(None)
    except BaseException as failure:
        out.put(f"the reader process failed: {type(failure).__name__}: {failure}")
        status = 1
    finally:
        out.close()
        out.join_thread()
        os._exit(status)


def _in_process(path: Path, now: datetime, adapt: Adapt, first_pass: bool) -> Iterator[Chunk]:
    """The chunks, read ahead by a forked process on a core of its own."""
    context = multiprocessing.get_context("fork")
    handed = context.Queue(maxsize=_AHEAD)
    child = context.Process(
        target=_read_in_child, args=(path, handed, now, adapt, first_pass), name="import-reader", daemon=True
    )
    child.start()
    try:
        while True:
            try:
                chunk = handed.get(timeout=1.0)
            except queue.Empty:
                if not child.is_alive():
                    raise RuntimeError(f"the reader process ended (exit status {child.exitcode})") from None
                continue
            if chunk is None:
                return
            if isinstance(chunk, bytes):
                chunk = pickle.loads(chunk)
            if isinstance(chunk, str):
                raise RuntimeError(chunk)
            yield chunk
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
        handed.close()


def _feed(chunks: Iterator[Chunk], writer: Writer, report: Report, progress: Progress) -> None:
    # Millions of short-lived records and rows, none in a cycle: the collector's default rhythm
    # spent a fifth of an import's CPU walking them (py-spy).
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(200_000, 50, 100)
    add, lines = writer.add, writer.channel_lines
    try:
        for items, done_bytes in chunks:
            for item in items:
                if len(item) == 2:  # the end: whether the first pass's values were right
                    writer.ahead_exact, took = item[1]
                    if took is not None:
                        report.timings.append(f"first pass (threads and reactions): {took:.1f} s")
                elif len(item) == 4:
                    line, kind, data, ready = item
                    report.counts[kind]["read"] += 1
                    if kind == "channel":
                        lines.setdefault(cid_of(data.type, data.id, data.member_ids), line)
                    add(Record(line, kind, data, ready))
                elif item[1]:
                    report.fail(item[0], item[1], item[2], read=True)
                else:
                    report.fail(item[0], UNREADABLE, f"{item[2]}; nothing after it could be read", read=True)
            progress.update(done_bytes, report.records_read)
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
