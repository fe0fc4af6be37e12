"""Files, images and search in the demo, end to end: two people in two browser contexts.

Alice attaches an image (the paperclip) and a document (dropped on the composer); Bob sees the
preview, opens it full size, and sees the document's chip; Bob searches a word Alice wrote and
opens the hit, in the channel he is in and from another one. Every image the pages show comes
from the backend, by the signed URL the message carries, and nothing is fetched from anywhere else.
Each test runs on SQLite and again on PostgreSQL.
"""

from __future__ import annotations

import base64
import io
import re
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from conftest import LOCAL_HOSTS, Backend, DemoPage, OpenDemo, host_of, postgres_database
from PIL import Image
from playwright.sync_api import expect


@pytest.fixture(scope="module", params=["sqlite", "postgres"], autouse=True)
def database(request: pytest.FixtureRequest, backend: Backend) -> Iterator[str]:
    """Every test here runs on SQLite (the session's backend), then on PostgreSQL: the backend
    restarted on a fresh PostgreSQL database, on its own port, and back on SQLite afterwards."""
    if request.param == "sqlite":
        yield "sqlite"
        return
    with postgres_database() as url:
        backend.switch_database(url)
        try:
            vendor = backend.manage(
                "shell", "-c", "from django.db import connection; print(connection.vendor)"
            )
            assert vendor.strip().splitlines()[-1] == "postgresql", vendor
            yield "postgres"
        finally:
            backend.switch_database(None)


def png(width: int, height: int) -> bytes:
    image = Image.new("RGB", (width, height), (40, 120, 200))
    image.paste((240, 200, 40), (0, 0, width // 2, height // 2))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def attach(demo: DemoPage, name: str, content: bytes, mime: str) -> None:
    """Picks a file with the paperclip's file input, and waits until it has uploaded."""
    demo.page.get_by_test_id("attach-input").set_input_files(
        {"name": name, "mimeType": mime, "buffer": content}
    )
    expect(demo.page.get_by_test_id("pending-upload").filter(has_text=name)).to_have_attribute(
        "data-state", "done"
    )


def drop(demo: DemoPage, name: str, content: bytes, mime: str) -> None:
    """Drops a file on the composer, as dragging it from the desktop does, and waits for its upload."""
    data = base64.b64encode(content).decode()
    transfer = demo.page.evaluate_handle(
        """([name, data, mime]) => {
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, { type: mime }));
            return transfer;
        }""",
        [name, data, mime],
    )
    form = demo.page.get_by_test_id("composer-form")
    form.dispatch_event("dragover", {"dataTransfer": transfer})
    form.dispatch_event("drop", {"dataTransfer": transfer})
    expect(demo.page.get_by_test_id("pending-upload").filter(has_text=name)).to_have_attribute(
        "data-state", "done"
    )


def file_requests(demo: DemoPage) -> list[str]:
    return [url for url in demo.requests if "/api/files/" in urlsplit(url).path]


def test_demo_image_and_file_reach_the_other_user_from_the_backend_only(
    open_demo: OpenDemo, backend: Backend
) -> None:
    channel = f"files-{uuid.uuid4().hex[:6]}"
    alice = open_demo("alice", channel)
    bob = open_demo("bob", channel)

    attach(alice, "harbour.png", png(640, 480), "image/png")
    expect(alice.page.get_by_test_id("upload-progress")).to_have_count(1)
    drop(alice, "minutes.txt", b"the minutes of the meeting\n" * 40, "text/plain")
    text = f"photo and minutes {uuid.uuid4().hex[:6]}"
    alice.page.get_by_test_id("composer-input").fill(text)
    alice.page.get_by_test_id("send-button").click()
    expect(alice.page.get_by_test_id("pending-uploads")).to_have_count(0)

    message = bob.message(text)
    preview = message.get_by_test_id("image-preview").locator("img")
    expect(preview).to_have_count(1)
    expect(preview).to_have_attribute("src", re.compile(rf"^{re.escape(backend.url)}/api/files/\w+/thumb/"))
    bob.page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=preview.element_handle())
    assert preview.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [512, 384]  # the thumbnail

    chip = message.get_by_test_id("file-chip")
    expect(chip).to_contain_text("minutes.txt")
    expect(chip).to_contain_text("1.1 KB")

    message.get_by_test_id("image-preview").click()
    full = bob.page.get_by_test_id("lightbox-image")
    expect(full).to_be_visible()
    bob.page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=full.element_handle())
    assert full.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [640, 480]
    bob.page.keyboard.press("Escape")
    expect(full).to_have_count(0)

    # Its text may be cleared by an edit: the image and the file stay (Stream's rule).
    sent = alice.message_by_id(alice.message(text).get_attribute("data-message-id") or "")
    alice.action(sent, "edit").click()
    editor = sent.get_by_test_id("edit-input")
    editor.fill("")
    editor.press("Enter")
    edited = bob.page.get_by_test_id("message").filter(has=bob.page.get_by_alt_text("harbour.png"))
    expect(edited.get_by_test_id("message-edited")).to_be_visible()
    expect(edited.get_by_test_id("message-text")).to_have_count(0)
    expect(edited.get_by_test_id("file-chip")).to_contain_text("minutes.txt")

    # An image alone, with no text, is a message too (Stream's rule).
    attach(alice, "alone.png", png(320, 240), "image/png")
    expect(alice.page.get_by_test_id("composer-input")).to_have_value("")
    alice.page.get_by_test_id("send-button").click()
    alone = bob.page.get_by_test_id("message").filter(has=bob.page.get_by_alt_text("alone.png"))
    expect(alone.get_by_test_id("image-preview")).to_have_count(1)
    expect(alone.get_by_test_id("message-text")).to_have_count(0)

    # Every image and file came from the backend, by a signed URL; nothing from anywhere else.
    fetched = file_requests(bob)
    assert fetched, bob.requests
    for url in fetched:
        assert url.startswith(f"{backend.url}/api/files/"), url
        assert "signature=" in url and "expires=" in url, url
    for demo in (alice, bob):
        outside = sorted(
            {
                url
                for url in demo.requests + demo.sockets
                if urlsplit(url).scheme in {"http", "https", "ws", "wss"} and host_of(url) not in LOCAL_HOSTS
            }
        )
        assert outside == [], outside


def test_demo_search_finds_a_word_the_other_user_wrote_and_opens_it(open_demo: OpenDemo) -> None:
    channel = f"search-{uuid.uuid4().hex[:6]}"
    alice = open_demo("alice", channel)
    bob = open_demo("bob", channel)
    word = f"zanzibar{uuid.uuid4().hex[:6]}"
    message_id = alice.send(f"the boat to {word} leaves at noon")
    for filler in range(3):
        alice.send(f"something else {filler}")

    bob.page.get_by_test_id("search-input").fill(word)
    hit = bob.page.get_by_test_id("search-hit")
    expect(hit).to_have_count(1)
    expect(hit.get_by_test_id("search-hit-text")).to_have_text(f"the boat to {word} leaves at noon")
    expect(hit.get_by_test_id("search-hit-channel")).to_have_text(f"#{channel}")
    expect(hit).to_contain_text("Alice")
    hit.click()
    expect(bob.page.get_by_test_id("search-results")).to_have_count(0)
    expect(bob.message_by_id(message_id)).to_have_class(re.compile(r"\bflash\b"))

    bob.page.get_by_test_id("search-input").fill(f"{word} nowhere")
    expect(bob.page.get_by_test_id("search-results")).to_contain_text("No messages found.")


def test_demo_search_hit_in_another_channel_opens_that_channel_at_the_message(open_demo: OpenDemo) -> None:
    channel = f"search-{uuid.uuid4().hex[:6]}"
    alice = open_demo("alice", channel)  # the demo's channels have both alice and bob as members
    word = f"kilimanjaro{uuid.uuid4().hex[:6]}"
    message_id = alice.send(f"we climb {word} at dawn")
    for filler in range(3):
        alice.send(f"something else {filler}")

    elsewhere = f"other-{uuid.uuid4().hex[:6]}"
    bob = open_demo("bob", elsewhere)
    expect(bob.page.get_by_test_id("channel-title")).to_have_text(f"#{elsewhere}")
    bob.page.get_by_test_id("search-input").fill(word)
    hit = bob.page.get_by_test_id("search-hit")
    expect(hit.get_by_test_id("search-hit-channel")).to_have_text(f"#{channel}")
    hit.click()
    expect(bob.page.get_by_test_id("channel-title")).to_have_text(f"#{channel}")
    expect(bob.message_by_id(message_id)).to_have_class(re.compile(r"\bflash\b"))
    expect(bob.message_by_id(message_id)).to_be_in_viewport()
    assert f"channel={channel}" in bob.page.url
