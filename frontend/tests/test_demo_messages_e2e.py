"""The demo's message features end to end, two people in two browser contexts.

Reactions, threads, edits, deletes, quotes, mentions and pins run in the shared demo channel with
text no other test sends; moderation (a ban) runs in a channel of its own, so the ban never reaches
another test. Each assertion reads what the other person's page shows after a real round trip
through the backend.
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

from conftest import REPO, Backend, DemoPage, OpenDemo
from playwright.sync_api import Locator, expect


def unique(text: str) -> str:
    return f"{text} {uuid.uuid4().hex[:8]}"


def chip(demo: DemoPage, message_id: str, reaction_type: str) -> Locator:
    """The reaction chip of one type under a message."""
    return demo.message_by_id(message_id).locator(
        f'[data-testid="reaction-chip"][data-type="{reaction_type}"]'
    )


def test_demo_reaction_count_reaches_the_other_user(open_demo: OpenDemo) -> None:
    """Alice reacts 👍: Bob sees the chip with 1; Bob's click makes it 2 on both pages, and again 1."""
    alice = open_demo("alice")
    bob = open_demo("bob")
    text = unique("react to this")
    message_id = alice.send(text)
    expect(bob.message(text)).to_have_count(1)

    alice.react(alice.message_by_id(message_id), "like")
    expect(chip(bob, message_id, "like")).to_contain_text("👍")
    expect(chip(bob, message_id, "like").get_by_test_id("reaction-count")).to_have_text("1")
    expect(chip(bob, message_id, "like")).to_have_attribute("data-own", "false")
    expect(chip(alice, message_id, "like")).to_have_attribute("data-own", "true")

    chip(bob, message_id, "like").click()
    for demo in (alice, bob):
        expect(chip(demo, message_id, "like").get_by_test_id("reaction-count")).to_have_text("2")
    expect(chip(bob, message_id, "like")).to_have_attribute("data-own", "true")
    expect(chip(alice, message_id, "like")).to_have_attribute("data-own", "true")

    chip(bob, message_id, "like").click()  # a second click takes Bob's reaction back
    for demo in (alice, bob):
        expect(chip(demo, message_id, "like").get_by_test_id("reaction-count")).to_have_text("1")
    expect(chip(bob, message_id, "like")).to_have_attribute("data-own", "false")


def test_demo_thread_reply_count_and_unread_badge_reach_the_other_user(open_demo: OpenDemo) -> None:
    """Bob replies in a thread on Alice's message: Alice sees "1 reply" and "1 new", opens it and
    reads it (the badge goes), and a later reply brings the badge back while the thread is shut."""
    alice = open_demo("alice")
    bob = open_demo("bob")
    text = unique("start a thread")
    message_id = alice.send(text)
    expect(bob.message(text)).to_have_count(1)

    bob.action(bob.message_by_id(message_id), "reply").click()
    panel = bob.page.get_by_test_id("thread-panel")
    expect(panel.get_by_test_id("thread-parent")).to_contain_text(text)
    reply = unique("a reply from bob")
    bob.page.get_by_test_id("thread-composer-input").fill(reply)
    bob.page.get_by_test_id("thread-send-button").click()
    expect(bob.reply(reply)).to_have_count(1)

    summary = alice.message_by_id(message_id).get_by_test_id("thread-summary")
    expect(summary.get_by_test_id("reply-count")).to_have_text("1 reply")
    expect(summary.get_by_test_id("thread-unread")).to_have_text("1 new")  # her thread, not read
    # Bob has read up to his own reply; the reply lives in the thread, not in the channel's list.
    expect(bob.message_by_id(message_id).get_by_test_id("reply-count")).to_have_text("1 reply")
    expect(bob.message_by_id(message_id).get_by_test_id("thread-unread")).to_have_count(0)
    expect(alice.message(reply)).to_have_count(0)
    summary.click()
    expect(alice.reply(reply)).to_have_count(1)
    expect(alice.reply(reply)).to_contain_text("Bob")
    expect(summary.get_by_test_id("thread-unread")).to_have_count(0)  # opening it read it

    alice.page.get_by_test_id("thread-close").click()
    later = unique("a later reply from bob")
    bob.page.get_by_test_id("thread-composer-input").fill(later)
    bob.page.get_by_test_id("thread-send-button").click()
    expect(summary.get_by_test_id("reply-count")).to_have_text("2 replies")
    expect(summary.get_by_test_id("thread-unread")).to_have_text("1 new")
    alice.page.reload()  # the count is the server's, not the page's
    expect(alice.message_by_id(message_id).get_by_test_id("thread-unread")).to_have_text("1 new")


def test_demo_edit_shows_edited_to_the_other_user(open_demo: OpenDemo) -> None:
    """Alice fixes a typo in place: Bob's page shows the new text and "(edited)"."""
    alice = open_demo("alice")
    bob = open_demo("bob")
    text = unique("teh typo")
    message_id = alice.send(text)
    expect(bob.message(text)).to_have_count(1)
    expect(bob.message_by_id(message_id).get_by_test_id("message-edited")).to_have_count(0)

    alice.action(alice.message_by_id(message_id), "edit").click()
    fixed = text.replace("teh", "the")
    editor = alice.message_by_id(message_id).get_by_test_id("edit-input")
    editor.fill(fixed)
    editor.press("Enter")

    expect(bob.message(fixed)).to_have_count(1)
    expect(bob.message(text)).to_have_count(0)
    expect(bob.message_by_id(message_id).get_by_test_id("message-edited")).to_have_text("(edited)")
    expect(alice.message_by_id(message_id).get_by_test_id("message-edited")).to_have_text("(edited)")


def test_demo_delete_shows_deleted_to_the_other_user(open_demo: OpenDemo) -> None:
    """Alice deletes her message: it stays in place on Bob's page as "This message was deleted"."""
    alice = open_demo("alice")
    bob = open_demo("bob")
    before, text, after = unique("before"), unique("delete me"), unique("after")
    alice.send(before)
    message_id = alice.send(text)
    alice.send(after)
    expect(bob.message(after)).to_have_count(1)

    alice.action(alice.message_by_id(message_id), "delete").click()
    alice.message_by_id(message_id).get_by_test_id("confirm-delete").click()

    deleted = bob.message_by_id(message_id)
    expect(deleted.get_by_test_id("message-deleted")).to_have_text("This message was deleted")
    expect(bob.message(text)).to_have_count(0)
    ids = bob.page.get_by_test_id("message").evaluate_all(
        "(items) => items.map((item) => item.dataset.messageId)"
    )
    before_id = bob.message(before).get_attribute("data-message-id")
    after_id = bob.message(after).get_attribute("data-message-id")
    assert ids.index(before_id) < ids.index(message_id) < ids.index(after_id), "it moved"
    # Nothing to act on in a deleted message, and the same after a reload.
    bob.page.reload()
    bob.expect_online()
    expect(deleted.get_by_test_id("message-deleted")).to_be_visible()
    expect(deleted.get_by_test_id("message-text")).to_have_count(0)


def test_demo_member_has_no_delete_action_on_another_users_message(open_demo: OpenDemo) -> None:
    """Bob (a member, not a moderator) may react to Alice's message but not edit or delete it."""
    alice = open_demo("alice")
    bob = open_demo("bob")
    text = unique("only alice may delete this")
    message_id = alice.send(text)
    expect(bob.message(text)).to_have_count(1)

    theirs = bob.message_by_id(message_id)
    expect(bob.action(theirs, "react")).to_be_visible()
    expect(theirs.get_by_test_id("action-reply")).to_be_visible()
    expect(theirs.get_by_test_id("action-flag")).to_be_visible()
    expect(theirs.get_by_test_id("action-delete")).to_have_count(0)
    expect(theirs.get_by_test_id("action-edit")).to_have_count(0)

    # His own message offers both, so the check above could have failed.
    own = bob.message_by_id(bob.send(unique("bob may delete this")))
    expect(bob.action(own, "delete")).to_be_visible()
    expect(own.get_by_test_id("action-edit")).to_be_visible()
    expect(own.get_by_test_id("action-flag")).to_have_count(0)


def test_demo_quote_with_a_mention_reaches_the_other_user(open_demo: OpenDemo) -> None:
    """Bob quotes Alice's message and picks @Alice from the suggestions: Alice sees both."""
    alice = open_demo("alice")
    bob = open_demo("bob")
    text = unique("quote me")
    message_id = alice.send(text)
    expect(bob.message(text)).to_have_count(1)

    bob.action(bob.message_by_id(message_id), "quote").click()
    expect(bob.page.get_by_test_id("quote-preview")).to_contain_text(text)
    composer = bob.page.get_by_test_id("composer-input")
    composer.press_sequentially("agreed @al", delay=20)
    suggestions = bob.page.get_by_test_id("mention-suggestions")
    expect(suggestions.get_by_test_id("mention-option")).to_have_count(1)
    expect(suggestions).to_contain_text("Alice")
    composer.press("Enter")  # picks the suggestion, not send
    expect(composer).to_have_value("agreed @Alice ")
    composer.press_sequentially("see above", delay=20)
    bob.page.get_by_test_id("send-button").click()
    expect(bob.page.get_by_test_id("quote-preview")).to_have_count(0)

    sent = "agreed @Alice see above"
    quoting = alice.message(sent)
    expect(quoting).to_have_count(1)
    expect(quoting.get_by_test_id("quoted-message")).to_contain_text(text)
    expect(quoting.get_by_test_id("mention")).to_have_text("@Alice")
    expect(quoting.get_by_test_id("mention")).to_have_class("mention me")


def test_demo_pin_shows_in_the_pinned_bar(open_demo: OpenDemo) -> None:
    """Alice pins a message: Bob's pinned bar shows it; unpinned, it leaves the bar."""
    channel = f"pins-{uuid.uuid4().hex[:8]}"
    alice = open_demo("alice", channel)
    bob = open_demo("bob", channel)
    text = unique("pin this")
    message_id = alice.send(text)
    expect(bob.message(text)).to_have_count(1)
    expect(bob.page.get_by_test_id("pinned-bar")).to_have_count(0)

    alice.action(alice.message_by_id(message_id), "pin").click()
    expect(bob.page.get_by_test_id("pinned-bar").get_by_test_id("pinned-message")).to_contain_text(text)
    expect(bob.message_by_id(message_id).get_by_test_id("pinned-tag")).to_contain_text("Alice")

    alice.action(alice.message_by_id(message_id), "pin").click()
    expect(bob.page.get_by_test_id("pinned-bar")).to_have_count(0)


def test_demo_mute_dims_messages_and_flag_is_confirmed(open_demo: OpenDemo) -> None:
    """Alice mutes Bob: his messages still arrive, dimmed and tagged; she flags one; she unmutes him."""
    channel = f"mute-{uuid.uuid4().hex[:8]}"
    alice = open_demo("alice", channel)
    bob = open_demo("bob", channel)
    members = alice.open_members()
    bob_row = members.locator('[data-testid="member"][data-user-id="bob"]')
    bob_row.get_by_test_id("mute-button").click()
    expect(bob_row.get_by_test_id("member-muted")).to_have_text("muted")

    text = unique("muted but delivered")
    message_id = bob.send(text)
    muted = alice.message_by_id(message_id)
    expect(muted).to_have_class(re.compile(r"\bmuted\b"))
    expect(muted).to_contain_text(text)
    alice.action(muted, "flag").click()
    expect(alice.page.get_by_test_id("notice")).to_have_text("Flagged for the moderators")

    bob_row.get_by_test_id("unmute-button").click()
    expect(bob_row.get_by_test_id("member-muted")).to_have_count(0)
    expect(muted).not_to_have_class(re.compile(r"\bmuted\b"))


def test_demo_banned_user_cannot_write_and_sees_why(open_demo: OpenDemo, backend: Backend) -> None:
    """A moderator bans Bob with a reason: Bob's input is disabled and says why; unbanned, he writes again."""
    channel = f"ban-{uuid.uuid4().hex[:8]}"
    alice = open_demo("alice", channel)
    bob = open_demo("bob", channel)
    # Bob, a member, has no ban control; Alice becomes the channel's moderator, as an operator
    # makes one in the Django admin, and reloads to get her new capabilities.
    expect(bob.open_members().get_by_test_id("ban-button")).to_have_count(0)
    backend.make_moderator(f"messaging:{channel}", "alice")
    alice.page.reload()
    alice.expect_online()

    reason = unique("spamming the channel")
    members = alice.open_members()
    members.locator('[data-testid="member"][data-user-id="bob"]').get_by_test_id("ban-button").click()
    members.get_by_test_id("ban-reason").fill(reason)
    members.get_by_test_id("ban-confirm").click()
    expect(members.get_by_test_id("member-banned")).to_have_text("banned")

    composer = bob.page.get_by_test_id("composer-input")
    expect(composer).to_be_disabled()
    notice = bob.page.get_by_test_id("composer-disabled")
    expect(notice).to_contain_text("You are banned from this channel by Alice")
    expect(notice).to_contain_text(reason)
    expect(bob.page.get_by_test_id("send-button")).to_be_disabled()
    # The ban is the server's, not the page's: after a reload Bob still cannot write.
    bob.page.reload()
    bob.expect_online()
    expect(composer).to_be_disabled()
    expect(notice).to_contain_text("You are banned from this channel")

    members.get_by_test_id("unban-button").click()
    expect(composer).to_be_enabled()
    expect(notice).to_have_count(0)
    back = unique("bob is back")
    bob.send(back)
    expect(alice.message(back)).to_have_count(1)


def test_demo_tour_screenshot(open_demo: OpenDemo, tmp_path: Path) -> None:
    """A conversation with reactions, a quote, a mention, a pin and a thread, photographed from Bob's page.

    The picture goes to $JATTE_DEMO_SCREENSHOT when set (the README's docs/demo.png:
    `JATTE_DEMO_SCREENSHOT=docs/demo.png .venv/bin/pytest frontend/tests -k screenshot`), else to a
    temporary folder.
    """
    channel = "general"  # no other test writes there, and each session has a fresh database
    alice = open_demo("alice", channel, viewport=(1360, 820))
    bob = open_demo("bob", channel, viewport=(1360, 820))
    welcome = alice.send("Morning Bob! Our chat runs on our own server now, no Stream account.")
    question = bob.send("Nice. Does the front end still use the same SDK calls?")
    calls = alice.send("Same calls: connectUser, watch, sendMessage, and now reactions and threads.")
    alice.action(alice.message_by_id(welcome), "pin").click()

    bob.action(bob.message_by_id(calls), "quote").click()
    composer = bob.page.get_by_test_id("composer-input")
    composer.press_sequentially("@al", delay=20)
    composer.press("Enter")
    composer.press_sequentially("threads too? I'll try one.", delay=5)
    bob.page.get_by_test_id("send-button").click()
    expect(alice.message("@Alice threads too? I'll try one.")).to_have_count(1)

    bob.react(bob.message_by_id(welcome), "fire")
    bob.react(bob.message_by_id(calls), "like")
    alice.react(alice.message_by_id(calls), "like")
    expect(chip(bob, calls, "like").get_by_test_id("reaction-count")).to_have_text("2")

    bob.action(bob.message_by_id(calls), "reply").click()
    for text in ("Replying in a thread here.", "Edits and deletes work to."):
        bob.page.get_by_test_id("thread-composer-input").fill(text)
        bob.page.get_by_test_id("thread-send-button").click()
        expect(bob.reply(text)).to_have_count(1)
    typo_id = bob.reply("Edits and deletes work to.").get_attribute("data-message-id")
    typo = bob.page.get_by_test_id("thread-panel").locator(f'[data-message-id="{typo_id}"]')
    bob.action(typo, "edit").click()
    typo.get_by_test_id("edit-input").fill("Edits and deletes work too.")
    typo.get_by_test_id("edit-input").press("Enter")
    expect(bob.reply("Edits and deletes work too.").get_by_test_id("message-edited")).to_be_visible()
    alice.message_by_id(calls).get_by_test_id("reply-count").click()
    alice_reply = "And the reply count updates live 🎉"
    alice.page.get_by_test_id("thread-composer-input").fill(alice_reply)
    alice.page.get_by_test_id("thread-send-button").click()
    expect(bob.reply(alice_reply)).to_have_count(1)
    bob.react(bob.reply(alice_reply), "love")
    expect(bob.message_by_id(calls).get_by_test_id("reply-count")).to_have_text("3 replies")
    expect(chip(alice, welcome, "fire")).to_be_visible()
    expect(bob.page.get_by_test_id("pinned-bar")).to_contain_text("Morning Bob!")

    alice.page.get_by_test_id("composer-input").press_sequentially("Looks good", delay=30)
    expect(bob.page.get_by_test_id("typing-indicator")).to_have_text("Alice is typing…")
    # Bob's pointer on his own message: its toolbar shows what he may do there.
    expect(bob.action(bob.message_by_id(question), "delete")).to_be_visible()
    target = Path(os.environ.get("JATTE_DEMO_SCREENSHOT") or tmp_path / "demo.png")
    if not target.is_absolute():
        target = REPO / target
    target.parent.mkdir(parents=True, exist_ok=True)
    bob.page.screenshot(path=str(target))
    assert target.stat().st_size > 20_000, f"{target} looks empty"
