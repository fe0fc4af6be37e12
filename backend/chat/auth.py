"""Supabase access tokens in, the signed-in user out, or a refusal that says why."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import jwt
from django.conf import settings

from chat.exceptions import TokenRefused

__all__ = ["ALGORITHMS", "AUDIENCE", "Actor", "authenticate", "mint_token"]

AUDIENCE = "authenticated"  # what Supabase puts in `aud` for signed-in users
# An explicit allow-list: the header's `alg` never chooses the verification (no `none`, no HS/RS confusion).
ALGORITHMS = ["HS256"]


@dataclass(frozen=True, slots=True)
class Actor:
    """The user a socket or request acts as."""

    id: str
    name: str
    image: str = ""


def authenticate(token: str | None) -> Actor:
    """Verifies a Supabase access token and returns who it signs in."""
    if not token:
        raise TokenRefused("no token: connect with ?token=<Supabase access token>")
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            settings.SUPABASE_JWT_SECRET,
            algorithms=ALGORITHMS,
            audience=AUDIENCE,
            options={"require": ["exp", "sub", "aud"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenRefused("token expired") from exc
    except jwt.InvalidAudienceError as exc:
        raise TokenRefused(f"token audience is not {AUDIENCE!r}") from exc
    except jwt.InvalidSignatureError as exc:
        raise TokenRefused("token signature does not verify") from exc
    except jwt.InvalidAlgorithmError as exc:
        raise TokenRefused(f"token algorithm not allowed (allowed: {', '.join(ALGORITHMS)})") from exc
    except jwt.MissingRequiredClaimError as exc:
        raise TokenRefused(f"token lacks the {exc.claim!r} claim") from exc
    except jwt.PyJWTError as exc:
        raise TokenRefused(f"token is malformed: {exc}") from exc
    sub = claims["sub"]
    if not isinstance(sub, str) or not 0 < len(sub) <= 255:
        raise TokenRefused("token `sub` must be a non-empty string of at most 255 characters")
    metadata = claims.get("user_metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    name = metadata.get("name") or metadata.get("full_name")
    image = metadata.get("avatar_url")
    return Actor(
        id=sub,
        name=name[:255] if isinstance(name, str) and name else sub,
        image=image[:1024] if isinstance(image, str) else "",
    )


def mint_token(user_id: str, name: str | None = None, ttl_seconds: int = 24 * 3600) -> str:
    """Signs a Supabase-shaped access token with the configured secret (development and tests)."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": user_id,
        "aud": AUDIENCE,
        "role": "authenticated",
        "iat": now,
        "exp": now + ttl_seconds,
        "user_metadata": {"name": name} if name else {},
    }
    return jwt.encode(claims, settings.SUPABASE_JWT_SECRET, algorithm="HS256")
