"""The demo end to end: a production build, the real backend, Debian's chromium.

Every test talks to the same demo channel (`messaging:demo`) on one backend, so each sends text no
other test sends and looks for exactly that text.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from conftest import (
    LOCAL_HOSTS,
    Backend,
    OpenDemo,
    base_env,
    host_of,
    next_build,
    stream_markers,
)
from playwright.sync_api import Browser, Dialog, expect


def unique(text: str) -> str:
    return f"{text} {uuid.uuid4().hex[:8]}"


def test_home_links_to_the_demo(browser: Browser, frontend: str) -> None:
    """The home page leads to /demo, which signs in as Alice by default."""
    page = browser.new_page()
    try:
        page.goto(f"{frontend}/")
        page.get_by_role("link", name="Open the demo as Alice").click()
        expect(page).to_have_url(f"{frontend}/demo")
        expect(page.get_by_test_id("connection-state")).to_have_text("online")
        expect(page.get_by_text("Signed in as Alice")).to_be_visible()
    finally:
        page.close()


def test_demo_shows_hello_world_after_sending_it(open_demo: OpenDemo) -> None:
    """The sender's own page shows the message once the server has stored and echoed it."""
    alice = open_demo("alice")
    alice.send("hello world")
    sent = alice.message("hello world").last
    expect(sent).to_contain_text("Alice")
    expect(alice.page.get_by_test_id("composer-input")).to_have_value("")


def test_demo_second_user_sees_the_message_live(open_demo: OpenDemo) -> None:
    """Bob's open tab shows Alice's message without a reload."""
    alice = open_demo("alice")
    bob = open_demo("bob")
    navigations: list[str] = []
    bob.page.on("framenavigated", lambda frame: navigations.append(frame.url))
    text = unique("live from alice")
    alice.send(text)
    expect(bob.message(text)).to_have_count(1)
    expect(bob.message(text)).to_contain_text("Alice")
    assert navigations == [], "bob's page navigated: the message did not arrive live"
    bob.send(unique("and back from bob"))


def test_demo_reload_shows_the_history(open_demo: OpenDemo) -> None:
    """Messages are stored: a reload, and a user who opens the page later, both see them."""
    alice = open_demo("alice")
    first, second = unique("history one"), unique("history two")
    alice.send(first)
    alice.send(second)
    alice.page.reload()
    alice.expect_online()
    expect(alice.message(first)).to_have_count(1)
    expect(alice.message(second)).to_have_count(1)
    texts = alice.page.get_by_test_id("message-text").all_inner_texts()
    assert texts.index(first) < texts.index(second), "history is not oldest first"
    bob = open_demo("bob")
    expect(bob.message(second)).to_have_count(1)


def test_demo_typing_indicator_shows_the_other_user(open_demo: OpenDemo) -> None:
    """Alice typing shows "Alice is typing…" to Bob, not to herself, and it clears when she stops."""
    alice = open_demo("alice")
    bob = open_demo("bob")
    alice.page.get_by_test_id("composer-input").press_sequentially("hel", delay=50)
    expect(bob.page.get_by_test_id("typing-indicator")).to_have_text("Alice is typing…")
    expect(alice.page.get_by_test_id("typing-indicator")).to_have_text("")
    # The client sends typing.stop about 1 s after the last keystroke.
    expect(bob.page.get_by_test_id("typing-indicator")).to_have_text("")


def test_demo_read_marker_shows_who_has_seen_the_message(open_demo: OpenDemo) -> None:
    """When Bob's open tab receives Alice's message it marks it read; Alice sees "Seen by Bob" under it."""
    alice = open_demo("alice")
    bob = open_demo("bob")
    text = unique("did you read this")
    alice.send(text)
    expect(bob.message(text)).to_have_count(1)
    expect(alice.message(text).get_by_test_id("read-marker")).to_have_text("Seen by Bob")
    expect(alice.page.get_by_test_id("read-marker")).to_have_count(1)


def test_demo_connection_state_follows_a_backend_restart(open_demo: OpenDemo, backend: Backend) -> None:
    """The page shows "reconnecting" while the backend is down, then "online", and chat works again."""
    alice = open_demo("alice")
    state = alice.page.get_by_test_id("connection-state")
    backend.stop()
    try:
        expect(state).to_have_text("reconnecting")
    finally:
        backend.start()
    # Backoff grows from 0.25 s; a few seconds of downtime mean a few seconds to come back.
    expect(state).to_have_text("online", timeout=30_000)
    text = unique("after the restart")
    alice.send(text)
    bob = open_demo("bob")
    expect(bob.message(text)).to_have_count(1)


def test_demo_requests_go_to_localhost_only(open_demo: OpenDemo, backend: Backend) -> None:
    """Pages, scripts, token requests and WebSockets all go to 127.0.0.1; nothing to Stream or anyone else."""
    alice = open_demo("alice")
    bob = open_demo("bob")
    alice.send(unique("only local"))
    bob.send(unique("only local too"))
    alice.page.get_by_test_id("composer-input").press_sequentially("typing", delay=20)
    alice.page.reload()
    alice.expect_online()
    for demo in (alice, bob):
        assert any(url.startswith(f"{backend.url}/api/dev/token?") for url in demo.requests), demo.requests
        assert any(
            url.startswith(f"ws://127.0.0.1:{backend.port}/ws/chat/?token=") for url in demo.sockets
        ), demo.sockets
        outside = sorted({url for url in demo.requests + demo.sockets if host_of(url) not in LOCAL_HOSTS})
        assert outside == [], f"{demo.user}'s page reached outside hosts: {outside}"


def test_demo_renders_message_text_as_text(open_demo: OpenDemo) -> None:
    """Markup in a message shows literally; the page creates no element from it and runs no script."""
    alice = open_demo("alice")
    bob = open_demo("bob")
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    alice.page.on("dialog", on_dialog)
    bob.page.on("dialog", on_dialog)
    marker = uuid.uuid4().hex[:8]
    bold = f"<b>x{marker}</b>"
    script = f'<img src="nowhere" onerror="alert(\'{marker}\')">'
    alice.send(bold)
    alice.send(script)
    for demo in (alice, bob):
        expect(demo.message(bold)).to_have_count(1)
        expect(demo.message(script)).to_have_count(1)
        expect(demo.page.get_by_test_id("message-list").locator("b, img")).to_have_count(0)
    assert dialogs == []


def test_bundle_local_build_has_no_stream_sdk(local_build: Path) -> None:
    """The local build's browser bundle holds the shim's socket code and nothing of Stream's SDK."""
    static = local_build / "static"
    scripts = list(static.rglob("*.js"))
    assert scripts, f"no scripts under {static}"
    assert any("/ws/chat/" in path.read_text(errors="replace") for path in scripts), (
        "the shim is not in the bundle"
    )
    assert stream_markers(static) == {}


def test_bundle_stream_build_contains_the_sdk(tmp_path: Path) -> None:
    """With NEXT_PUBLIC_STREAM_KEY set the gateway bundles the real SDK: the marker check can fail."""
    build = next_build(
        ".next/e2e-stream", {**base_env(), "NEXT_PUBLIC_STREAM_KEY": "e2e-test-key"}, tmp_path / "build.log"
    )
    found = {marker for markers in stream_markers(build / "static").values() for marker in markers}
    assert {"stream-io-api.com", "getstream.io", "StreamChat error", "stream-auth-type"} <= found, found
