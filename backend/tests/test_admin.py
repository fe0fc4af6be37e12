"""The admin: an operator finds a message by its text and moderates it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from chat import services
from chat.auth import Actor
from chat.models import Message

ALICE = Actor("alice", "Alice")


@pytest.fixture
def operator(db: None) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("op", "op@example.com", "pw"))
    return client


@pytest.mark.parametrize("model", ["chatuser", "channel", "member", "message", "read", "threadread"])
def test_admin_lists_every_chat_model(operator: Client, model: str) -> None:
    services.prepare_watch(ALICE, "messaging:demo", None)
    services.post_message(ALICE, "messaging:demo", "hello world", "m1")
    services.post_message(ALICE, "messaging:demo", "a reply", "r1", parent_id="m1")
    services.mark_read(ALICE, "messaging:demo")
    page = operator.get(f"/admin/chat/{model}/")
    assert page.status_code == 200
    assert b"0 results" not in page.content


def test_admin_finds_a_message_by_text_and_can_delete_it(operator: Client) -> None:
    services.prepare_watch(ALICE, "messaging:demo", None)
    services.post_message(ALICE, "messaging:demo", "needle in a haystack", "needle")
    services.post_message(ALICE, "messaging:demo", "hay", "hay")
    found = operator.get("/admin/chat/message/", {"q": "needle"})
    assert b"needle in a haystack" in found.content
    assert b"hay</td>" not in found.content
    message = Message.objects.get(message_id="needle")
    deleted = operator.post(f"/admin/chat/message/{message.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    assert not Message.objects.filter(message_id="needle").exists()
