"""Settings of the textbook Channels chat: the defaults the Channels tutorial leaves you with."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "textbook-benchmark-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["daphne", "channels", "chat"]
ROOT_URLCONF = "textbook.urls"
ASGI_APPLICATION = "textbook.asgi.application"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("TEXTBOOK_DB", str(BASE_DIR / "textbook.sqlite3")),
    }
}
# The tutorial's layer for development, which many projects ship as is: one process, in memory,
# capacity 100 per channel (a full channel drops the message).
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
JWT_SECRET = os.environ.get(
    "SUPABASE_JWT_SECRET", "jatte-dev-secret-change-me-0123456789abcdef-0123456789abcdef-0123"
)
