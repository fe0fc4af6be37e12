"""The demo's channel list end to end, two people in two browser contexts.

Bob's list learns of Alice's new conversation and its unread message without a reload, the badge
clears when he opens it, a new message lifts its channel to the top, a rename reaches the other
page, and Alice sees Bob's online dot go grey when his page closes. Alice removes Bob, adds him
back and makes him a moderator, each reaching his list and member panel live; Bob marks a message
unread and the badge stays; Alice deletes the channel and it leaves both lists. Each test makes
channels of its own (unique names and ids), so what it counts is its own.
"""

from __future__ import annotations

import re
import uuid

from conftest import DemoPage, OpenDemo
from playwright.sync_api import Locator, expect


def unique(text: str) -> str:
    return f"{text} {uuid.uuid4().hex[:8]}"


def item(demo: DemoPage, name: str) -> Locator:
    """The list's entry for the channel named exactly `name`."""
    return demo.page.get_by_test_id("channel-item").filter(
        has=demo.page.get_by_test_id("channel-name").get_by_text(name, exact=True)
    )


def listed_cids(demo: DemoPage) -> list[str]:
    """The cids of the list's entries, top first."""
    cids = demo.page.get_by_test_id("channel-item").evaluate_all(
        "(items) => items.map((item) => item.dataset.cid)"
    )
    return [str(cid) for cid in cids]


def badge_total(demo: DemoPage) -> int:
    """The sum of the unread badges the list shows."""
    return sum(int(text) for text in demo.page.get_by_test_id("unread-badge").all_inner_texts())


def test_demo_new_conversation_shows_in_the_other_list_with_a_badge_that_clears_on_open(
    open_demo: OpenDemo,
) -> None:
    """Alice starts a named conversation with Bob (picked from users.query) and writes in it: Bob's
    list shows it on top with a badge of 1, and the title counts it, without a reload; opening it
    clears both."""
    alice = open_demo("alice")
    bob = open_demo("bob")
    expect(bob.page.get_by_test_id("channel-list")).to_be_visible()
    # Gone after any reload: proves that what follows arrives live. (Opening a channel from the list
    # only rewrites the URL in place, which Playwright also reports as a navigation.)
    bob.page.evaluate("window.__sameDocument = true")
    same_document = "() => window.__sameDocument === true"

    alice.page.get_by_test_id("new-conversation").click()
    dialog = alice.page.get_by_test_id("new-conversation-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_test_id("user-search").fill("bo")
    found = dialog.locator('[data-testid="user-result"][data-user-id="bob"]')
    expect(found).to_contain_text("Bob")
    expect(dialog.locator('[data-testid="user-result"][data-user-id="alice"]')).to_have_count(0)
    found.click()
    expect(dialog.get_by_test_id("picked-members")).to_contain_text("Bob")
    name = unique("Launch plans")
    dialog.get_by_test_id("conversation-name").fill(name)
    dialog.get_by_test_id("create-conversation").click()
    expect(dialog).to_have_count(0)
    expect(alice.page.get_by_test_id("channel-title")).to_have_text(name)
    expect(item(alice, name)).to_have_attribute("aria-current", "page")

    text = unique("are we shipping friday")
    alice.send(text)

    entry = item(bob, name)
    expect(entry.get_by_test_id("unread-badge")).to_have_text("1")
    expect(entry.get_by_test_id("channel-preview")).to_have_text(f"Alice: {text}")
    cid = entry.get_attribute("data-cid")
    assert cid, "the list entry has no data-cid"
    assert listed_cids(bob)[0] == cid, "the new conversation is not at the top of Bob's list"
    expect(bob.page).to_have_title(re.compile(r"^\(\d+\) Jatte demo$"))
    unread = badge_total(bob)
    assert bob.page.title() == f"({unread}) Jatte demo", "the title does not count the badges"
    assert bob.page.evaluate(same_document), "bob's page reloaded: the badge did not arrive live"

    entry.click()
    expect(bob.page.get_by_test_id("channel-title")).to_have_text(name)
    expect(bob.message(text)).to_have_count(1)
    expect(entry.get_by_test_id("unread-badge")).to_have_count(0)
    expect(entry).to_have_attribute("aria-current", "page")
    rest = unread - 1
    expect(bob.page).to_have_title(f"({rest}) Jatte demo" if rest else "Jatte demo")
    assert bob.page.evaluate(same_document), "opening the channel reloaded bob's page"
    expect(bob.page).to_have_url(re.compile(rf"[?&]channel={re.escape(cid.split(':', 1)[1])}\b"))
    # Read on the server too: a reload shows no badge for it.
    bob.page.reload()
    bob.expect_online()
    expect(item(bob, name)).to_have_count(1)
    expect(item(bob, name).get_by_test_id("unread-badge")).to_have_count(0)


def test_demo_channel_with_a_new_message_moves_to_the_top(open_demo: OpenDemo) -> None:
    """Bob's list is newest first; a message in the older of two channels lifts it to the top."""
    older, newer = f"older-{uuid.uuid4().hex[:8]}", f"newer-{uuid.uuid4().hex[:8]}"
    alice_older = open_demo("alice", older)
    alice_older.send(unique("first in older"))
    alice_newer = open_demo("alice", newer)
    alice_newer.send(unique("first in newer"))

    bob = open_demo("bob")
    older_cid, newer_cid = f"messaging:{older}", f"messaging:{newer}"
    older_item = bob.page.locator(f'[data-testid="channel-item"][data-cid="{older_cid}"]')
    newer_item = bob.page.locator(f'[data-testid="channel-item"][data-cid="{newer_cid}"]')
    expect(older_item.get_by_test_id("unread-badge")).to_have_text("1")
    expect(newer_item.get_by_test_id("unread-badge")).to_have_text("1")
    cids = listed_cids(bob)
    assert cids.index(newer_cid) < cids.index(older_cid), f"not newest first: {cids}"

    again = unique("second in older")
    alice_older.send(again)
    expect(older_item.get_by_test_id("unread-badge")).to_have_text("2")
    expect(older_item.get_by_test_id("channel-preview")).to_have_text(f"Alice: {again}")
    expect(bob.page.get_by_test_id("channel-item").first).to_have_attribute("data-cid", older_cid)


def test_demo_rename_reaches_the_other_header_and_list(open_demo: OpenDemo) -> None:
    """Alice, who made the channel, renames it in place: Bob's header and list show the new name."""
    channel = f"rename-{uuid.uuid4().hex[:8]}"
    alice = open_demo("alice", channel)
    bob = open_demo("bob", channel)
    expect(bob.page.get_by_test_id("channel-title")).to_have_text(f"#{channel}")

    alice.page.get_by_test_id("channel-title").hover()
    alice.page.get_by_test_id("rename-button").click()
    renamed = unique("Roadmap")
    alice.page.get_by_test_id("rename-input").fill(renamed)
    alice.page.get_by_test_id("rename-input").press("Enter")

    expect(alice.page.get_by_test_id("channel-title")).to_have_text(renamed)
    expect(bob.page.get_by_test_id("channel-title")).to_have_text(renamed)
    expect(item(bob, renamed)).to_have_attribute("aria-current", "page")


def test_demo_online_dot_goes_grey_when_the_other_page_closes(open_demo: OpenDemo) -> None:
    """Alice's member list shows Bob online while his page is open, and offline once it closes."""
    channel = f"presence-{uuid.uuid4().hex[:8]}"
    alice = open_demo("alice", channel)
    bob = open_demo("bob", channel)
    members = alice.open_members()
    bob_dot = members.locator('[data-testid="member"][data-user-id="bob"]').get_by_test_id("presence-dot")
    alice_dot = members.locator('[data-testid="member"][data-user-id="alice"]').get_by_test_id("presence-dot")
    expect(bob_dot).to_have_attribute("data-online", "true")
    expect(alice_dot).to_have_attribute("data-online", "true")

    bob.page.context.close()
    expect(bob_dot).to_have_attribute("data-online", "false")
    expect(bob_dot).to_have_class(re.compile(r"\boffline\b"))
    expect(alice_dot).to_have_attribute("data-online", "true")


def member_row(panel: Locator, user: str) -> Locator:
    return panel.locator(f'[data-testid="member"][data-user-id="{user}"]')


def test_demo_members_removed_added_and_made_moderator_reach_the_other_page(open_demo: OpenDemo) -> None:
    """Alice, who made the channel, removes Bob (it leaves his list and his page), adds him back
    from a users.query search (it returns to his list), then makes him a moderator: his own member
    list says so and gives him a moderator's controls without a reload."""
    channel = f"team-{uuid.uuid4().hex[:8]}"
    cid = f"messaging:{channel}"
    alice = open_demo("alice", channel)
    bob = open_demo("bob", channel)
    entry = bob.page.locator(f'[data-testid="channel-item"][data-cid="{cid}"]')
    expect(entry).to_have_attribute("aria-current", "page")

    members = alice.open_members()
    member_row(members, "bob").get_by_test_id("remove-member-button").click()
    expect(member_row(members, "bob")).to_have_count(0)
    expect(entry).to_have_count(0)  # notification.removed_from_channel
    expect(bob.page.get_by_test_id("channel-title")).to_have_text("Demo")  # his page left it

    members.get_by_test_id("add-member-search").fill("bo")
    members.locator('[data-testid="add-member-result"][data-user-id="bob"]').click()
    expect(member_row(members, "bob")).to_have_count(1)
    expect(entry).to_have_count(1)  # notification.added_to_channel

    entry.click()
    expect(bob.page.get_by_test_id("channel-title")).to_have_text(f"#{channel}")
    bobs = bob.open_members()
    expect(member_row(bobs, "alice").get_by_test_id("remove-member-button")).to_have_count(0)
    member_row(members, "bob").get_by_test_id("make-moderator-button").click()
    expect(member_row(members, "bob")).to_contain_text("moderator")
    expect(member_row(bobs, "bob")).to_contain_text("moderator")
    # own_capabilities asked for again on his member.updated: a moderator bans and removes members
    expect(member_row(bobs, "alice").get_by_test_id("ban-button")).to_be_visible()
    expect(member_row(bobs, "alice").get_by_test_id("remove-member-button")).to_be_visible()
    expect(member_row(members, "bob").get_by_test_id("make-moderator-button")).to_have_count(0)


def test_demo_mark_unread_keeps_a_badge_and_a_deleted_channel_leaves_both_lists(open_demo: OpenDemo) -> None:
    """Bob marks Alice's first message unread: his list counts it and the one after it, and the
    server keeps that across a reload; then Alice deletes the channel and it leaves both lists."""
    channel = f"unread-{uuid.uuid4().hex[:8]}"
    cid = f"messaging:{channel}"
    alice = open_demo("alice", channel)
    first = unique("read this later")
    alice.send(first)
    alice.send(unique("and this"))
    bob = open_demo("bob", channel)
    entry = bob.page.locator(f'[data-testid="channel-item"][data-cid="{cid}"]')
    expect(entry).to_have_attribute("aria-current", "page")
    expect(entry.get_by_test_id("unread-badge")).to_have_count(0)  # read by opening it

    bob.action(bob.message(first), "mark-unread").click()
    expect(entry.get_by_test_id("unread-badge")).to_have_text("2")
    bob.page.locator('[data-testid="channel-item"][data-cid="messaging:demo"]').click()
    expect(bob.page.get_by_test_id("channel-title")).to_have_text("Demo")
    bob.page.reload()
    bob.expect_online()
    expect(entry.get_by_test_id("unread-badge")).to_have_text("2")
    expect(alice.action(alice.message(first), "mark-unread")).to_have_count(0)  # her own message

    members = alice.open_members()
    members.get_by_test_id("delete-channel-button").click()
    members.get_by_test_id("confirm-delete-channel").click()
    expect(alice.page.get_by_test_id("channel-title")).to_have_text("Demo")
    expect(alice.page.locator(f'[data-testid="channel-item"][data-cid="{cid}"]')).to_have_count(0)
    expect(entry).to_have_count(0)  # channel.deleted reached bob's list
