"""Tokens: what signs a user in and what is refused, with the reason; HS256 and keys from a JWKS."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from channels.testing import WebsocketCommunicator
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.conf import settings
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from chat import auth
from chat.auth import authenticate, authenticate_async, jwks_keys, mint_token
from chat.exceptions import TokenRefused
from jatte.asgi import application
from jatte.settings import DEV_JWT_SECRET

from .servers import BACKEND_DIR


def _token(**claims: object) -> str:
    base = {"sub": "alice", "aud": "authenticated", "exp": int(time.time()) + 3600}
    base.update(claims)
    return jwt.encode({k: v for k, v in base.items() if v is not None}, settings.SUPABASE_JWT_SECRET, "HS256")


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_authenticate_returns_sub_and_metadata_name() -> None:
    actor = authenticate(_token(user_metadata={"name": "Alice A.", "avatar_url": "https://x/a.png"}))
    assert (actor.id, actor.name, actor.image) == ("alice", "Alice A.", "https://x/a.png")


def test_authenticate_takes_nul_in_the_metadata_a_user_sets_as_the_replacement_character() -> None:
    actor = authenticate(_token(user_metadata={"name": "Al\x00ice", "avatar_url": "https://x/\x00a.png"}))
    assert (actor.name, actor.image) == ("Al\ufffdice", "https://x/\ufffda.png")
    with pytest.raises(TokenRefused, match="U\\+0000"):
        authenticate(_token(sub="al\x00ice"))


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
            jwt.encode(
                {"sub": "a", "aud": "authenticated", "exp": int(time.time()) + 3600}, "x" * 32, "HS256"
            ),
            "signature",
        ),
        (
            jwt.encode(
                {"sub": "a", "aud": "authenticated", "exp": int(time.time()) + 3600},
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


# Asymmetric keys from a JWKS (SUPABASE_JWKS_URL), served by the test on a free port.


class JwksServer:
    """A JWKS endpoint on 127.0.0.1 whose keys the test changes; counts the fetches it answers."""

    def __init__(self) -> None:
        self.keys: list[dict[str, Any]] = []
        self.fetches = 0
        self.delay = 0.0
        self.failing = False
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.fetches += 1
                time.sleep(server.delay)
                if server.failing:
                    self.send_error(503)
                    return
                body = json.dumps({"keys": server.keys}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep the test output quiet

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/auth/v1/.well-known/jwks.json"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


EC_KEY = ec.generate_private_key(ec.SECP256R1())
EC_KEY_2 = ec.generate_private_key(ec.SECP256R1())
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ATTACKER_KEY = ec.generate_private_key(ec.SECP256R1())


def _jwk_ec(key: ec.EllipticCurvePrivateKey, kid: str) -> dict[str, Any]:
    jwk: dict[str, Any] = json.loads(ECAlgorithm.to_jwk(key.public_key()))
    return {**jwk, "kid": kid, "alg": "ES256", "use": "sig"}


def _jwk_rsa(key: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    return {**jwk, "kid": kid, "use": "sig"}  # no "alg": PyJWK infers RS256 from the RSA key


def _claims(**claims: object) -> dict[str, object]:
    base: dict[str, object] = {"sub": "alice", "aud": "authenticated", "exp": int(time.time()) + 3600}
    base.update(claims)
    return {k: v for k, v in base.items() if v is not None}


def _signed(key: Any, alg: str, kid: str | None, **claims: object) -> str:
    headers = {"kid": kid} if kid is not None else {}
    return jwt.encode(_claims(**claims), key, algorithm=alg, headers=headers)


def _hmac_signed(secret: bytes, headers: dict[str, object], **claims: object) -> str:
    """An HS256 token built by hand: PyJWT rightly refuses to use a PEM key as an HMAC secret."""
    signing_input = f"{_b64({'alg': 'HS256', 'typ': 'JWT', **headers})}.{_b64(_claims(**claims))}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


class Clock:
    """Stands in for the JWKS cache's clock, so cache lifetimes pass without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def jwks(settings: Any) -> Iterator[JwksServer]:
    """JWKS mode only (no shared secret), with an EC key `ec-1` and an RSA key `rsa-1` published."""
    server = JwksServer()
    server.keys = [_jwk_ec(EC_KEY, "ec-1"), _jwk_rsa(RSA_KEY, "rsa-1")]
    settings.SUPABASE_JWKS_URL = server.url
    settings.SUPABASE_JWT_SECRET = ""
    yield server
    server.close()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(auth, "_clock", fake)
    return fake


@pytest.mark.parametrize(
    ("key", "alg", "kid"), [(EC_KEY, "ES256", "ec-1"), (RSA_KEY, "RS256", "rsa-1")], ids=["es256", "rs256"]
)
def test_jwks_token_authenticates(jwks: JwksServer, key: Any, alg: str, kid: str) -> None:
    actor = authenticate(_signed(key, alg, kid, user_metadata={"name": "Alice"}))
    assert (actor.id, actor.name) == ("alice", "Alice")


def test_jwks_keys_are_fetched_once_and_cached(jwks: JwksServer) -> None:
    for _ in range(3):
        authenticate(_signed(EC_KEY, "ES256", "ec-1"))
        authenticate(_signed(RSA_KEY, "RS256", "rsa-1"))
    assert jwks.fetches == 1


def test_jwks_unknown_kid_fetches_the_set_again_for_a_rotated_key(jwks: JwksServer, clock: Clock) -> None:
    assert authenticate(_signed(EC_KEY, "ES256", "ec-1")).id == "alice"
    jwks.keys = [_jwk_ec(EC_KEY_2, "ec-2")]  # rotation: a new key, the old one withdrawn
    clock.now += auth.JWKS_COOLDOWN
    assert authenticate(_signed(EC_KEY_2, "ES256", "ec-2")).id == "alice"
    assert jwks.fetches == 2


def test_jwks_unknown_kids_fetch_at_most_once_per_cooldown(jwks: JwksServer, clock: Clock) -> None:
    authenticate(_signed(EC_KEY, "ES256", "ec-1"))
    for n in range(5):
        with pytest.raises(TokenRefused, match="not in the JWKS"):
            authenticate(_signed(ATTACKER_KEY, "ES256", f"made-up-{n}"))
    assert jwks.fetches == 1
    clock.now += auth.JWKS_COOLDOWN
    with pytest.raises(TokenRefused, match="not in the JWKS"):
        authenticate(_signed(ATTACKER_KEY, "ES256", "made-up-again"))
    assert jwks.fetches == 2


def test_jwks_withdrawn_key_stops_working_when_the_cache_expires(jwks: JwksServer, clock: Clock) -> None:
    token = _signed(EC_KEY, "ES256", "ec-1")
    authenticate(token)
    jwks.keys = [_jwk_rsa(RSA_KEY, "rsa-1")]
    clock.now += auth.JWKS_LIFESPAN - 1
    assert authenticate(token).id == "alice"  # still cached
    clock.now += 1
    with pytest.raises(TokenRefused, match="not in the JWKS"):
        authenticate(token)
    assert jwks.fetches == 2


def test_jwks_unreachable_endpoint_keeps_the_keys_it_had(jwks: JwksServer, clock: Clock) -> None:
    token = _signed(EC_KEY, "ES256", "ec-1")
    authenticate(token)
    jwks.failing = True
    clock.now += auth.JWKS_LIFESPAN
    assert authenticate(token).id == "alice"
    assert jwks.fetches == 2


def test_jwks_unreachable_on_first_fetch_refuses_with_the_reason(jwks: JwksServer) -> None:
    jwks.failing = True
    with pytest.raises(TokenRefused, match="JWKS could not be fetched"):
        authenticate(_signed(EC_KEY, "ES256", "ec-1"))


def _rsa_public_pem() -> bytes:
    return RSA_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


JWKS_REFUSALS: list[tuple[str, Callable[[], str], str]] = [
    (
        "alg-none",
        lambda: f"{_b64({'alg': 'none', 'kid': 'ec-1'})}.{_b64(_claims())}.",
        "algorithm 'none' is not allowed",
    ),
    (
        "hs256-signed-with-the-rsa-public-key",
        lambda: _hmac_signed(_rsa_public_pem(), {"kid": "rsa-1"}),
        "algorithm 'HS256' is not allowed",
    ),
    (
        "rs256-header-on-an-ec-key",
        lambda: _signed(RSA_KEY, "RS256", "ec-1"),
        "does not match",
    ),
    (
        "es256-header-on-an-rsa-key",
        lambda: _signed(EC_KEY, "ES256", "rsa-1"),
        "does not match",
    ),
    ("attacker-key-with-a-known-kid", lambda: _signed(ATTACKER_KEY, "ES256", "ec-1"), "signature"),
    (
        "attacker-key-embedded-in-the-header",
        lambda: jwt.encode(
            _claims(),
            ATTACKER_KEY,
            algorithm="ES256",
            headers={"kid": "attacker", "jwk": json.loads(ECAlgorithm.to_jwk(ATTACKER_KEY.public_key()))},
        ),
        "not in the JWKS",
    ),
    ("no-kid", lambda: _signed(EC_KEY, "ES256", None), "kid"),
    ("es512", lambda: _signed(ec.generate_private_key(ec.SECP521R1()), "ES512", "ec-1"), "not allowed"),
    ("ps256", lambda: _signed(RSA_KEY, "PS256", "rsa-1"), "not allowed"),
    ("expired", lambda: _signed(EC_KEY, "ES256", "ec-1", exp=int(time.time()) - 10), "expired"),
    ("wrong-audience", lambda: _signed(EC_KEY, "ES256", "ec-1", aud="anon"), "audience"),
]


@pytest.mark.parametrize(
    ("make", "reason"), [(m, r) for _, m, r in JWKS_REFUSALS], ids=[i for i, _, _ in JWKS_REFUSALS]
)
def test_jwks_mode_refuses_with_a_reason(jwks: JwksServer, make: Callable[[], str], reason: str) -> None:
    with pytest.raises(TokenRefused, match=reason):
        authenticate(make())


def test_jwks_mode_with_a_shared_secret_still_refuses_hmac_over_the_public_key(
    jwks: JwksServer, settings: Any
) -> None:
    settings.SUPABASE_JWT_SECRET = DEV_JWT_SECRET  # Supabase's migration period: both kinds of key
    assert authenticate(_token()).id == "alice"
    with pytest.raises(TokenRefused, match="signature"):
        authenticate(_hmac_signed(_rsa_public_pem(), {"kid": "rsa-1"}))


def test_shared_secret_mode_refuses_asymmetric_tokens(settings: Any) -> None:
    assert settings.SUPABASE_JWKS_URL == ""
    with pytest.raises(TokenRefused, match="algorithm 'ES256' is not allowed"):
        authenticate(_signed(EC_KEY, "ES256", "ec-1"))


@pytest.mark.parametrize(
    ("key", "alg", "kid"),
    [(EC_KEY, "ES256", "ec-1"), (DEV_JWT_SECRET, "HS256", None)],
    ids=["es256", "hs256"],
)
def test_supabase_url_requires_its_issuer(
    jwks: JwksServer, settings: Any, key: Any, alg: str, kid: str | None
) -> None:
    settings.SUPABASE_JWT_SECRET = DEV_JWT_SECRET
    settings.SUPABASE_URL = "https://abcd.supabase.co"
    issuer = "https://abcd.supabase.co/auth/v1"
    assert authenticate(_signed(key, alg, kid, iss=issuer)).id == "alice"
    with pytest.raises(TokenRefused, match="'iss'"):
        authenticate(_signed(key, alg, kid))
    with pytest.raises(TokenRefused, match="issuer"):
        authenticate(_signed(key, alg, kid, iss="https://other.supabase.co/auth/v1"))


def test_minted_tokens_carry_the_configured_issuer(settings: Any) -> None:
    settings.SUPABASE_URL = "https://abcd.supabase.co"
    assert authenticate(mint_token("bob")).id == "bob"


async def test_authenticate_async_fetches_the_jwks_off_the_event_loop(jwks: JwksServer) -> None:
    jwks.delay = 0.5
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    actor = await authenticate_async(_signed(EC_KEY, "ES256", "ec-1"))
    ticker.cancel()
    assert actor.id == "alice"
    assert ticks >= 20  # the loop kept running while the fetch waited 0.5 s
    cached = jwks_keys()
    assert cached is not None and not cached.needs_fetch("ec-1")


async def test_authenticate_async_with_a_cached_key_does_not_wait_for_a_fetch(
    jwks: JwksServer, clock: Clock
) -> None:
    await authenticate_async(_signed(EC_KEY, "ES256", "ec-1"))
    jwks.delay = 0.5
    clock.now += auth.JWKS_COOLDOWN  # an unknown kid may fetch now
    fetching = asyncio.create_task(authenticate_async(_signed(EC_KEY_2, "ES256", "unknown")))
    await asyncio.sleep(0.05)  # the fetch is under way on a worker thread, holding the lock
    started = time.monotonic()
    assert (await authenticate_async(_signed(EC_KEY, "ES256", "ec-1"))).id == "alice"
    assert time.monotonic() - started < 0.1
    with pytest.raises(TokenRefused, match="not in the JWKS"):
        await fetching
    assert jwks.fetches == 2


async def test_socket_signs_in_with_an_es256_token(jwks: JwksServer, transactional_db: None) -> None:
    communicator = WebsocketCommunicator(
        application, f"/ws/chat/?token={_signed(EC_KEY, 'ES256', 'ec-1', user_metadata={'name': 'Al'})}"
    )
    assert (await communicator.connect(timeout=10))[0]
    hello = json.loads(await communicator.receive_from(timeout=10))
    assert (hello["type"], hello["me"]["id"], hello["me"]["name"]) == ("health.check", "alice", "Al")
    await communicator.disconnect()


def _settings_in_a_fresh_process(env: dict[str, str], check: bool = True) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SUPABASE_")}
    script = (
        "import json, jatte.settings as s; print(json.dumps({'secret': s.SUPABASE_JWT_SECRET,"
        " 'jwks': s.SUPABASE_JWKS_URL, 'url': s.SUPABASE_URL}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BACKEND_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if not check:
        return {"returncode": str(out.returncode), "stderr": out.stderr}
    assert out.returncode == 0, out.stderr
    result: dict[str, str] = json.loads(out.stdout)
    return result


def test_settings_development_secret_applies_only_without_a_jwks() -> None:
    assert _settings_in_a_fresh_process({})["secret"] == DEV_JWT_SECRET
    jwks_only = _settings_in_a_fresh_process({"SUPABASE_JWKS_URL": "https://x.supabase.co/jwks"})
    assert jwks_only["secret"] == ""
    both = _settings_in_a_fresh_process(
        {"SUPABASE_JWKS_URL": "https://x.supabase.co/jwks", "SUPABASE_JWT_SECRET": "s" * 40}
    )
    assert both["secret"] == "s" * 40
    assert _settings_in_a_fresh_process({"SUPABASE_URL": "https://x.supabase.co/"})["url"] == (
        "https://x.supabase.co"
    )


def test_settings_refuse_a_jwks_url_that_is_not_http() -> None:
    failed = _settings_in_a_fresh_process({"SUPABASE_JWKS_URL": "file:///etc/passwd"}, check=False)
    assert failed["returncode"] != "0"
    assert "SUPABASE_JWKS_URL 'file:///etc/passwd': must be an http(s) URL" in failed["stderr"]
