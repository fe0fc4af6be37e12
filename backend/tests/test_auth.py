"""Tokens: what signs a user in and what is refused, with the reason."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from django.conf import settings

from chat.auth import authenticate, mint_token
from chat.exceptions import TokenRefused


def _token(**claims: object) -> str:
    base = {"sub": "alice", "aud": "authenticated", "exp": int(time.time()) + 60}
    base.update(claims)
    return jwt.encode({k: v for k, v in base.items() if v is not None}, settings.SUPABASE_JWT_SECRET, "HS256")


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_authenticate_returns_sub_and_metadata_name() -> None:
    actor = authenticate(_token(user_metadata={"name": "Alice A.", "avatar_url": "https://x/a.png"}))
    assert (actor.id, actor.name, actor.image) == ("alice", "Alice A.", "https://x/a.png")


def test_authenticate_falls_back_to_the_id_for_a_name() -> None:
    assert authenticate(_token()).name == "alice"


def test_minted_tokens_authenticate() -> None:
    assert authenticate(mint_token("bob", "Bob")).name == "Bob"


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (None, "no token"),
        ("", "no token"),
        ("not-a-jwt", "malformed"),
        (_token(exp=int(time.time()) - 10), "expired"),
        (_token(aud="anon"), "audience"),
        (_token(aud=None), "'aud'"),
        (_token(sub=None), "'sub'"),
        (_token(exp=None), "'exp'"),
        (_token(sub=""), "sub"),
        (
            jwt.encode({"sub": "a", "aud": "authenticated", "exp": int(time.time()) + 60}, "x" * 32, "HS256"),
            "signature",
        ),
        (
            jwt.encode(
                {"sub": "a", "aud": "authenticated", "exp": int(time.time()) + 60},
                settings.SUPABASE_JWT_SECRET,
                "HS512",
            ),
            "algorithm",
        ),
        (
            _b64({"alg": "none", "typ": "JWT"})
            + "."
            + _b64({"sub": "a", "aud": "authenticated", "exp": 9999999999})
            + ".",
            "algorithm",
        ),
    ],
    ids=[
        "missing",
        "empty",
        "malformed",
        "expired",
        "wrong-audience",
        "no-audience",
        "no-sub",
        "no-exp",
        "empty-sub",
        "wrong-signature",
        "hs512",
        "alg-none",
    ],
)
def test_authenticate_refuses_with_a_reason(token: str | None, reason: str) -> None:
    with pytest.raises(TokenRefused, match=reason):
        authenticate(token)
