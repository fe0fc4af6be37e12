"""ASGI entry point: `/ws/chat/` goes to the chat consumer (browsers from allowed origins only), everything else to Django (upload bodies held to their limit as they stream in)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jatte.settings")
django_asgi = get_asgi_application()  # sets Django up before the chat modules import models

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from chat.bodies import UploadBodyLimit  # noqa: E402
from chat.origins import OriginGate  # noqa: E402
from chat.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {"http": UploadBodyLimit(django_asgi), "websocket": OriginGate(URLRouter(websocket_urlpatterns))}
)
