"""Django settings, every one read from an environment variable with a default (see README)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from jatte.redact import install as redact_logs

django_stubs_ext.monkeypatch()  # lets ModelAdmin[Model] and friends be subscripted at run time

BASE_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = BASE_DIR.parent

# A development default only; every real deployment sets its own (README, Configuration).
DEV_JWT_SECRET = "jatte-dev-secret-change-me-0123456789abcdef-0123456789abcdef-0123"


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict[str, Any]:
    """Turns `sqlite:///path` or `postgres://user:pass@host:port/name` into a DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if parts.netloc:  # sqlite://relative/path is a mistake worth naming
            raise ImproperlyConfigured(f"DATABASE_URL {url!r}: use sqlite:///relative or sqlite:////absolute")
        name = path[1:] if path.startswith("/") else path
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name if name == ":memory:" else str(Path(name).expanduser()),
            # IMMEDIATE takes the write lock at BEGIN, so concurrent writers wait (timeout) instead of
            # failing with "database is locked" when a read lock cannot be upgraded.
            "OPTIONS": {
                "timeout": float(
                    os.environ.get("JATTE_SQLITE_TIMEOUT", "20")
                ),  # seconds a writer waits for the lock
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            "TEST": {"NAME": None},
            # One persistent connection per thread: opening and closing one around every call
            # cost more than the queries themselves (BENCHMARKS.md profiles).
            "CONN_MAX_AGE": None,
        }
    if parts.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise ImproperlyConfigured(f"DATABASE_URL {url!r}: scheme must be sqlite or postgres")


DEBUG = _flag("DJANGO_DEBUG")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "jatte-insecure-development-key")
ALLOWED_HOSTS = _list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

# Tokens (SECURITY.md): HS256 with the shared secret and/or ES256/RS256 with the keys at the JWKS URL.
# The public development secret applies only while no JWKS is configured; with SUPABASE_JWKS_URL set,
# HS256 stays on only if SUPABASE_JWT_SECRET is set explicitly (Supabase's migration period).
SUPABASE_JWKS_URL = os.environ.get("SUPABASE_JWKS_URL", "").strip()
if SUPABASE_JWKS_URL and urlsplit(SUPABASE_JWKS_URL).scheme not in {"http", "https"}:
    raise ImproperlyConfigured(f"SUPABASE_JWKS_URL {SUPABASE_JWKS_URL!r}: must be an http(s) URL")
SUPABASE_JWT_SECRET = os.environ.get("SUPABASE_JWT_SECRET", "" if SUPABASE_JWKS_URL else DEV_JWT_SECRET)
# Set: tokens must carry `iss` = <SUPABASE_URL>/auth/v1 (what Supabase writes).
SUPABASE_URL = os.environ.get("SUPABASE_URL", "").strip().rstrip("/")
REDIS_URL = os.environ.get("REDIS_URL", "")
# Every Redis key and pub/sub channel starts with this, so deployments sharing one Redis stay apart.
JATTE_REDIS_PREFIX = os.environ.get("JATTE_REDIS_PREFIX", "jatte")
# Seconds a process's share of watcher counts and socket caps outlives it in Redis after a crash.
JATTE_REDIS_TTL = float(os.environ.get("JATTE_REDIS_TTL", "15"))

# Browsers may open the socket only from these origins (Channels' OriginValidator syntax: a bare host
# matches it on any scheme and port, `https://chat.example.com` only that origin, `*` any). The
# default admits pages served from this machine only (`tools/dev up` on :3000, tests on free ports).
# Clients that send no Origin header (servers, native apps, scripts) are not browsers and pass.
ALLOWED_ORIGINS = _list("ALLOWED_ORIGINS", "localhost,127.0.0.1,[::1]")

# Limits (SECURITY.md). Rates are per user and frame type, as token buckets: Stream's 60 requests a
# minute per user per endpoint, with a burst of as many at once. With REDIS_URL they are counted in
# Redis, across processes; without it (or while Redis is unreachable), in each process.
JATTE_RATE_LIMIT_PER_MINUTE = int(os.environ.get("JATTE_RATE_LIMIT_PER_MINUTE", "60"))
JATTE_RATE_LIMIT_BURST = int(os.environ.get("JATTE_RATE_LIMIT_BURST", "60"))
# Sockets one user may hold open (Stream's production figure is 50 per user); across processes with Redis.
JATTE_MAX_SOCKETS_PER_USER = int(os.environ.get("JATTE_MAX_SOCKETS_PER_USER", "50"))
# One process's capacity (chat.limits.Admission): sockets it holds, and sockets signing in at once
# (a reconnect storm's queue). Past either, a socket is closed with 4013 "retry after N ms".
JATTE_MAX_CONNECTIONS = int(os.environ.get("JATTE_MAX_CONNECTIONS", "20000"))
JATTE_MAX_CONNECTING = int(os.environ.get("JATTE_MAX_CONNECTING", "500"))
JATTE_RETRY_AFTER_MS = int(os.environ.get("JATTE_RETRY_AFTER_MS", "1000"))
JATTE_MAX_DATABASE_BACKLOG = int(os.environ.get("JATTE_MAX_DATABASE_BACKLOG", "0"))  # 0: no bound
# Bytes waiting for one socket (in the consumer, and in daphne's transport) before it is dropped as
# too slow; above the largest frame the server sends (a 300-message channel.state).
# Seconds between the health.check the server sends each socket on its own, so a client can tell a
# quiet channel from a dead server (Stream's SDK reconnects after 35 s without a frame).
JATTE_HEARTBEAT_SECONDS = float(os.environ.get("JATTE_HEARTBEAT_SECONDS", "25"))
JATTE_OUTBOUND_BUFFER_BYTES = int(os.environ.get("JATTE_OUTBOUND_BUFFER_BYTES", str(16 * 1024 * 1024)))

DATA_DIR = Path(os.environ.get("JATTE_DATA_DIR", REPO_ROOT / "var"))
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'jatte.sqlite3'}")
DATABASES = {"default": database_from_url(DATABASE_URL)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3") and DATABASES["default"]["NAME"] != ":memory:":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

# Files (chat.services.uploads, SECURITY.md "Files"): stored through Django's storage API, never by
# path: the file system under MEDIA_ROOT by default, S3 (or any S3-compatible store) with
# JATTE_STORAGE=s3, or any storage class named by its dotted path with JSON options.
MEDIA_ROOT = os.environ.get("JATTE_MEDIA_ROOT", str(DATA_DIR / "media"))


def storage_from_env() -> dict[str, Any]:
    """The STORAGES["default"] entry JATTE_STORAGE names: `filesystem`, `s3` or a dotted class path."""
    kind = os.environ.get("JATTE_STORAGE", "filesystem").strip()
    if kind == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT}}
    if kind == "s3":  # django-storages; credentials as boto3 finds them (AWS_ACCESS_KEY_ID, ...)
        bucket = os.environ.get("JATTE_S3_BUCKET", "").strip()
        if not bucket:
            raise ImproperlyConfigured("JATTE_STORAGE=s3 needs JATTE_S3_BUCKET")
        options: dict[str, Any] = {"bucket_name": bucket, "file_overwrite": False, "default_acl": "private"}
        for option, variable in (
            ("endpoint_url", "JATTE_S3_ENDPOINT_URL"),
            ("region_name", "JATTE_S3_REGION"),
            ("location", "JATTE_S3_PREFIX"),
        ):
            if os.environ.get(variable, "").strip():
                options[option] = os.environ[variable].strip()
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    if "." in kind:
        try:
            extra = json.loads(os.environ.get("JATTE_STORAGE_OPTIONS", "{}"))
        except ValueError as exc:
            raise ImproperlyConfigured(f"JATTE_STORAGE_OPTIONS is not JSON: {exc}") from exc
        return {"BACKEND": kind, "OPTIONS": extra}
    raise ImproperlyConfigured(f"JATTE_STORAGE {kind!r}: use filesystem, s3 or a storage class's dotted path")


STORAGES = {
    "default": storage_from_env(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Stream's upload limit, 100 MiB: a body is cut off at this size while it streams in.
JATTE_UPLOAD_MAX_BYTES = int(os.environ.get("JATTE_UPLOAD_MAX_BYTES", str(100 * 1024 * 1024)))
# File extensions /file refuses (executables and scripts a click would run).
JATTE_UPLOAD_BLOCKED_EXTENSIONS = _list(
    "JATTE_UPLOAD_BLOCKED_EXTENSIONS",
    "exe,com,bat,cmd,msi,msp,scr,pif,cpl,dll,vbs,vbe,js,jse,wsf,wsh,ps1,psm1,hta,jar,lnk,reg,app,apk,sh",
)
# Seconds a signed file URL stays valid (Stream's CDN URLs: about a day).
JATTE_FILE_URL_TTL = int(os.environ.get("JATTE_FILE_URL_TTL", str(24 * 3600)))
# Seconds an upload no message attached is kept before housekeeping removes it.
JATTE_UNATTACHED_UPLOAD_SECONDS = int(os.environ.get("JATTE_UNATTACHED_UPLOAD_SECONDS", str(24 * 3600)))
# scheme://host[:port] file URLs start with; empty: the host the upload request named.
JATTE_PUBLIC_URL = os.environ.get("JATTE_PUBLIC_URL", "").strip().rstrip("/")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "chat",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "jatte.urls"
ASGI_APPLICATION = "jatte.asgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en-us"
STATIC_URL = "static/"

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "chat": {
            "handlers": ["console"],
            "level": os.environ.get("JATTE_LOG_LEVEL", "INFO"),
            "propagate": False,
        },
    },
}

# Access tokens never reach a log, whichever server or command runs (jatte/redact.py).
redact_logs()
