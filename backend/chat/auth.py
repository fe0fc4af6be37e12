"""Supabase access tokens in, the signed-in user out, or a refusal that says why.

A token is verified one of two ways, and its header never picks the key:
- HS256 with the shared secret (`SUPABASE_JWT_SECRET`, Supabase's legacy keys), or
- ES256 / RS256 with the public key that `SUPABASE_JWKS_URL` lists under the header's `kid`.
Any other `alg` (`none`, HS512, PS256, ...) is refused, and so is an `alg` whose key source is not
configured: with no shared secret an HS256 token is refused before any HMAC is computed, so a token
"signed" with a public key as an HMAC secret (HS/RS confusion) never verifies.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import jwt
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from jwt import PyJWK, PyJWKClient

from chat.exceptions import TokenExpired, TokenRefused
from chat.text import nul_replaced

__all__ = [
    "ALGORITHMS",
    "ASYMMETRIC_ALGORITHMS",
    "AUDIENCE",
    "Actor",
    "FetchDue",
    "JwksKeys",
    "allowed_algorithms",
    "authenticate",
    "authenticate_async",
    "issuer",
    "jwks_keys",
    "mint_token",
]

AUDIENCE = "authenticated"  # what Supabase puts in `aud` for signed-in users
SYMMETRIC_ALGORITHMS = ("HS256",)  # only with SUPABASE_JWT_SECRET
ASYMMETRIC_ALGORITHMS = ("ES256", "RS256")  # only with a key from SUPABASE_JWKS_URL
ALGORITHMS = [*SYMMETRIC_ALGORITHMS, *ASYMMETRIC_ALGORITHMS]  # everything this server can ever accept

# PyJWKClient's defaults: a key set is used for 5 minutes; an unknown `kid` fetches it again at most
# once per 30 seconds. One fetch may take 5 seconds (PyJWKClient waits 30).
JWKS_LIFESPAN = 300.0
JWKS_COOLDOWN = 30.0
JWKS_TIMEOUT = 5.0

_clock = time.monotonic  # the cache's clock (tests move it forward)


@dataclass(frozen=True, slots=True)
class Actor:
    """The user a socket or request acts as. `role` is "admin" when the token says so."""

    id: str
    name: str
    image: str = ""
    role: str = "user"
    # When the token stops being valid (UNIX time); the socket it opened is closed then.
    expires_at: float = field(default=0.0, compare=False)


class FetchDue(Exception):
    """Raised when verifying a token needs the JWKS fetched and the caller may not wait for it."""


class JwksKeys:
    """The signing keys a JWKS URL lists, by `kid`: cached, and fetched again for an unknown `kid`.

    An unknown `kid` fetches at most once per `cooldown`, so tokens with made-up key ids cannot
    make the server hammer the JWKS endpoint; a failed fetch keeps the keys it had.
    """

    def __init__(
        self,
        url: str,
        lifespan: float = JWKS_LIFESPAN,
        cooldown: float = JWKS_COOLDOWN,
        timeout: float = JWKS_TIMEOUT,
    ) -> None:
        self.url = url
        self.lifespan = lifespan
        self.cooldown = cooldown
        self._client = PyJWKClient(url, cache_jwk_set=False, timeout=timeout)
        self._keys: dict[str, PyJWK] = {}
        self._due = float("-inf")  # when the set must be fetched again
        self._attempted = float("-inf")  # when a fetch was last tried
        self._lock = threading.Lock()
        self.fetches = 0

    def needs_fetch(self, kid: str) -> bool:
        """Whether finding `kid` goes to the network (callers on an event loop move that to a thread)."""
        now = _clock()
        if now >= self._due:
            return True
        return kid not in self._keys and now - self._attempted >= self.cooldown

    def key(self, kid: str, may_fetch: bool = True) -> PyJWK:
        """The key named `kid`. Fetching the set blocks (at most JWKS_TIMEOUT seconds); with
        `may_fetch` off a due fetch raises FetchDue instead, and nothing waits on a lock."""
        if self.needs_fetch(kid):
            if not may_fetch:
                raise FetchDue(kid)
            with self._lock:
                if self.needs_fetch(kid):  # unless another thread fetched while this one waited
                    self._fetch()
        found = self._keys.get(kid)
        if found is None:
            raise TokenRefused(f"token key id {kid[:40]!r} is not in the JWKS")
        return found

    def _fetch(self) -> None:
        self._attempted = now = _clock()
        self.fetches += 1
        try:
            keys = self._client.get_signing_keys(refresh=True)
        except (jwt.PyJWTError, ValueError) as exc:  # unreachable, not JSON, or no usable key
            self._due = now + self.cooldown  # try again soon; meanwhile keep the keys we had
            if not self._keys:
                raise TokenRefused(f"the JWKS could not be fetched: {exc}") from exc
            return
        self._keys = {key.key_id: key for key in keys if key.key_id}
        self._due = now + self.lifespan


_jwks: dict[str, JwksKeys] = {}
_jwks_lock = threading.Lock()


def jwks_keys() -> JwksKeys | None:
    """The key cache of the configured SUPABASE_JWKS_URL, or None when none is configured."""
    url: str = settings.SUPABASE_JWKS_URL
    if not url:
        return None
    with _jwks_lock:
        keys = _jwks.get(url)
        if keys is None:
            keys = _jwks[url] = JwksKeys(url)
        return keys


def allowed_algorithms() -> list[str]:
    """The algorithms the configuration allows: HS256 with a shared secret, ES256/RS256 with a JWKS."""
    allowed = list(SYMMETRIC_ALGORITHMS) if settings.SUPABASE_JWT_SECRET else []
    return allowed + (list(ASYMMETRIC_ALGORITHMS) if settings.SUPABASE_JWKS_URL else [])


def issuer() -> str | None:
    """The `iss` tokens must carry: `<SUPABASE_URL>/auth/v1`, or None when SUPABASE_URL is unset."""
    url: str = settings.SUPABASE_URL
    return f"{url.rstrip('/')}/auth/v1" if url else None


def _header(token: str) -> dict[str, Any]:
    try:
        header: dict[str, Any] = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise TokenRefused(f"token is malformed: {exc}") from exc
    return header


def _signing_key(header: dict[str, Any], may_fetch: bool) -> tuple[str, Any]:
    """The algorithm and key to verify `token` with, chosen by configuration, never by the token alone."""
    alg = header.get("alg")
    allowed = allowed_algorithms()
    if not isinstance(alg, str) or alg not in allowed:
        shown = alg[:20] if isinstance(alg, str) else alg
        raise TokenRefused(f"token algorithm {shown!r} is not allowed (allowed: {', '.join(allowed)})")
    if alg in SYMMETRIC_ALGORITHMS:
        return alg, settings.SUPABASE_JWT_SECRET
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise TokenRefused("token has no `kid` header naming its signing key")
    keys = jwks_keys()
    assert keys is not None  # ES256/RS256 are allowed only with a JWKS URL
    jwk = keys.key(kid, may_fetch)
    if jwk.algorithm_name != alg:
        raise TokenRefused(f"token algorithm {alg} does not match its key's ({jwk.algorithm_name})")
    return alg, jwk.key


def authenticate(token: str | None, may_fetch: bool = True) -> Actor:
    """Verifies a Supabase access token and returns who it signs in (FetchDue: see JwksKeys.key)."""
    if not token:
        raise TokenRefused("no token: connect with ?token=<Supabase access token>")
    alg, key = _signing_key(_header(token), may_fetch)
    expected_issuer = issuer()
    required = ["exp", "sub", "aud"] + (["iss"] if expected_issuer else [])
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[alg],
            audience=AUDIENCE,
            issuer=expected_issuer,
            options={"require": required},
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenExpired("token expired: fetch a new one and reconnect") from exc
    except jwt.InvalidAudienceError as exc:
        raise TokenRefused(f"token audience is not {AUDIENCE!r}") from exc
    except jwt.InvalidIssuerError as exc:
        raise TokenRefused(f"token issuer is not {expected_issuer!r}") from exc
    except jwt.InvalidSignatureError as exc:
        raise TokenRefused("token signature does not verify") from exc
    except jwt.InvalidAlgorithmError as exc:
        raise TokenRefused(
            f"token algorithm not allowed (allowed: {', '.join(allowed_algorithms())})"
        ) from exc
    except jwt.MissingRequiredClaimError as exc:
        raise TokenRefused(f"token lacks the {exc.claim!r} claim") from exc
    except jwt.PyJWTError as exc:
        raise TokenRefused(f"token is malformed: {exc}") from exc
    sub = claims["sub"]
    if not isinstance(sub, str) or not 0 < len(sub) <= 255 or "\x00" in sub:
        raise TokenRefused("token `sub` must be a non-empty string of at most 255 characters, without U+0000")
    metadata = claims.get("user_metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    # A user may set their own metadata (Supabase's updateUser): U+0000 in it is taken as U+FFFD.
    name = _text(metadata.get("name") or metadata.get("full_name"))
    image = _text(metadata.get("avatar_url"))
    return Actor(
        id=sub,
        name=name[:255] if name else sub,
        image=image[:1024],
        role=_role(claims),
        expires_at=float(claims["exp"]),
    )


def _text(value: Any) -> str:
    """A claim's string with U+FFFD for U+0000 (chat.text); anything else, empty."""
    return nul_replaced(value) if isinstance(value, str) else ""


def _role(claims: dict[str, Any]) -> str:
    """ "admin" when `app_metadata.role` or `role` says so (Supabase sets `role` to "authenticated")."""
    app_metadata = claims.get("app_metadata")
    app_role = app_metadata.get("role") if isinstance(app_metadata, dict) else None
    return "admin" if "admin" in (app_role, claims.get("role")) else "user"


MAX_VERIFIED = 20_000  # tokens whose verification is remembered (a reconnect storm's worth)
_verified: dict[tuple[str, str, str | None, str], Actor] = {}


async def authenticate_async(token: str | None) -> Actor:
    """`authenticate` for an event loop: only a due JWKS fetch leaves the loop, for a worker thread.

    A token verified once is remembered until it expires (under the same secret, issuer and key
    set), so a client reconnecting with it again and again is not verified again each time.
    """
    key = (token or "", settings.SUPABASE_JWT_SECRET, issuer(), settings.SUPABASE_JWKS_URL or "")
    actor = _verified.get(key)
    if actor is not None and (actor.expires_at or 0) > time.time():
        return actor
    try:
        actor = authenticate(token, may_fetch=False)
    except FetchDue:
        actor = await asyncio.to_thread(authenticate, token)
    if len(_verified) >= MAX_VERIFIED:
        now = time.time()
        stale = [k for k, a in _verified.items() if (a.expires_at or 0) <= now] or list(_verified)[:1000]
        for forgotten in stale:  # the expired ones, or else the oldest
            del _verified[forgotten]
    _verified[key] = actor
    return actor


def mint_token(user_id: str, name: str | None = None, ttl_seconds: int = 24 * 3600) -> str:
    """Signs a Supabase-shaped access token with the configured secret (development and tests)."""
    if not settings.SUPABASE_JWT_SECRET:
        raise ImproperlyConfigured("minting a token needs SUPABASE_JWT_SECRET (HS256)")
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": user_id,
        "aud": AUDIENCE,
        "role": "authenticated",
        "iat": now,
        "exp": now + ttl_seconds,
        "user_metadata": {"name": name} if name else {},
    }
    if issuer():
        claims["iss"] = issuer()
    return jwt.encode(claims, settings.SUPABASE_JWT_SECRET, algorithm="HS256")
