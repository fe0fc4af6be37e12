"""`python -m jatte.serve`: run the ASGI app under daphne or uvicorn with Jatte's socket limits.

Both servers get the same contract: frames over 1 MiB close the socket with 1009, keepalive pings
find dead peers, close reasons reach the client. Daphne needs two adjustments for that: Autobahn,
under it, drops the TCP connection on an oversize frame instead of sending the 1009 close frame
unless `failByDrop` is off, and daphne passes the close code on but not the reason.

Two more guards (SECURITY.md): no access token reaches a log (daphne's access log is redacted here,
every Python log record by `jatte.redact`), and a reader too slow to take what daphne has queued
for it is dropped: daphne's send never waits for the peer, so without a cap whatever a client
leaves unread would pile up in Twisted's write buffer for as long as the connection lives. And
Twisted receives a request's whole body before daphne hands it on, so the upload limit is applied
in Twisted too (uvicorn streams the body to the app, where chat.bodies applies it).
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
from typing import Any

from chat.protocol import MAX_FRAME_BYTES
from jatte import redact

__all__ = ["main", "unsent_bytes"]

logger = logging.getLogger(__name__)

APP = "jatte.asgi:application"
# Seconds between server pings, and without a pong before the peer counts as dead and leaves its
# channels (daphne's defaults; Stream's SDK gives up on a silent server after 35 s).
PING_INTERVAL = int(os.environ.get("JATTE_PING_INTERVAL", "20"))
PING_TIMEOUT = int(os.environ.get("JATTE_PING_TIMEOUT", "30"))


def _daphne(host: str, port: int) -> None:
    from daphne import ws_protocol
    from daphne.cli import CommandLineInterface

    original_init = ws_protocol.WebSocketFactory.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self.setProtocolOptions(failByDrop=False)  # send 1009 on oversize frames, then close

    ws_protocol.WebSocketFactory.__init__ = init
    original_reply = ws_protocol.WebSocketProtocol.handle_reply

    def handle_reply(self: Any, message: dict[str, Any]) -> None:
        # Daphne drops the close reason; the client needs it to say why a token was refused.
        if (
            message.get("type") == "websocket.close"
            and message.get("reason")
            and self.state == self.STATE_OPEN
        ):
            self.sendClose(code=message.get("code") or 1000, reason=message["reason"])
            return
        original_reply(self, message)

    ws_protocol.WebSocketProtocol.handle_reply = handle_reply
    _bound_daphne_buffer()
    _bound_daphne_uploads()
    _redact_daphne_access_log()
    CommandLineInterface().run(
        [
            "-b",
            host,
            "-p",
            str(port),
            "--websocket-max-message-size",
            str(MAX_FRAME_BYTES),
            "--websocket-max-frame-size",
            str(MAX_FRAME_BYTES),
            "--ping-interval",
            str(PING_INTERVAL),
            "--ping-timeout",
            str(PING_TIMEOUT),
            # Daphne closes every socket with 1000 after a day by default, and 1000 tells a client
            # (Stream's SDK, the shim) not to reconnect: sockets live until a peer goes away.
            "--websocket_timeout=-1",
            APP,
        ]
    )


def unsent_bytes(transport: Any) -> int:
    """Bytes a Twisted transport holds that the peer has not taken yet (0 when it cannot tell)."""
    buffered = len(getattr(transport, "dataBuffer", b"")) - getattr(transport, "offset", 0)
    return buffered + getattr(transport, "_tempDataLen", 0)


def _bound_daphne_buffer() -> None:
    from daphne import ws_protocol
    from django.conf import settings

    limit: int = settings.JATTE_OUTBOUND_BUFFER_BYTES
    replied = ws_protocol.WebSocketProtocol.handle_reply

    def handle_reply(self: Any, message: dict[str, Any]) -> None:
        # A close frame queued behind what the peer does not read would never arrive either.
        if (
            message.get("type") in {"websocket.send", "websocket.close"}
            and unsent_bytes(self.transport) > limit
        ):
            if not getattr(self, "jatte_dropped", False):
                self.jatte_dropped = True
                logger.warning(
                    "dropping connection %s: over %d bytes unsent (a reader too slow to keep)",
                    self.client_addr,
                    limit,
                )
                self.transport.abortConnection()  # discards the buffer; the app hears a disconnect
            return
        replied(self, message)

    ws_protocol.WebSocketProtocol.handle_reply = handle_reply


def _bound_daphne_uploads() -> None:
    """Twisted, under daphne, receives a whole request body before the app sees any of it: the
    upload limit (chat.bodies) is applied there too, answering 413 as soon as a declared length or
    the bytes received so far pass it, and reading no more."""
    from daphne.http_protocol import WebRequest

    from chat import bodies

    got_length, handle_chunk, process = (
        WebRequest.gotLength,
        WebRequest.handleContentChunk,
        WebRequest.process,
    )

    def refuse(request: Any) -> None:
        request.jatte_refused = True
        origins = request.requestHeaders.getRawHeaders(b"origin") or [None]
        headers, body = bodies.too_large(origins[0].decode("latin-1") if origins[0] else None)
        head = b"".join(name + b": " + value + b"\r\n" for name, value in headers)
        request.channel.transport.write(b"HTTP/1.1 413 Request Entity Too Large\r\n" + head + b"\r\n" + body)
        request.channel.transport.loseConnection()  # sends the answer, reads nothing more

    def gotLength(self: Any, length: int | None) -> None:
        got_length(self, length)
        channel = self.channel
        path = (getattr(channel, "_path", b"") or b"").split(b"?", 1)[0].decode("latin-1")
        self.jatte_allowed = bodies.allowance(getattr(channel, "_command", b"").decode("latin-1"), path)
        self.jatte_received, self.jatte_refused = 0, False
        if self.jatte_allowed is not None and length is not None and length > self.jatte_allowed:
            refuse(self)

    def handleContentChunk(self: Any, data: bytes) -> None:
        if getattr(self, "jatte_refused", False):
            return
        if getattr(self, "jatte_allowed", None) is not None:
            self.jatte_received += len(data)
            if self.jatte_received > self.jatte_allowed:
                refuse(self)
                return
        handle_chunk(self, data)

    def process_unless_refused(self: Any) -> None:
        if not getattr(self, "jatte_refused", False):
            process(self)

    WebRequest.gotLength = gotLength
    WebRequest.handleContentChunk = handleContentChunk
    WebRequest.process = process_unless_refused


def _redact_daphne_access_log() -> None:
    from daphne import access, cli

    class RedactedAccessLog(access.AccessLogGenerator):  # type: ignore[misc]  # daphne ships no hints
        def write_entry(self, host: Any, date: Any, request: str, *args: Any, **kwargs: Any) -> None:
            super().write_entry(host, date, redact.redact(request), *args, **kwargs)

    cli.AccessLogGenerator = RedactedAccessLog


def _uvicorn_protocol() -> type[Any]:
    """Uvicorn's WebSocket protocol, cutting a peer that reads nothing instead of waiting on it.

    Uvicorn waits for the peer to drain before each send, so the consumer's outbox is what fills
    (and closes the socket) for a slow reader. Two waits remain that a peer which reads nothing
    would stretch forever: the close frame queued behind unread data, and the graceful close after
    a missed pong. Both abort the connection instead.
    """
    from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

    class Protocol(WebSocketsSansIOProtocol):
        async def send(self, message: Any) -> None:
            if (
                message["type"] == "websocket.close"
                and self.handshake_complete
                and not self.writable.is_set()
            ):
                self.transport.abort()  # connection_lost() tells the app it is disconnected
                return
            await super().send(message)

        def keepalive_timeout(self) -> None:
            super().keepalive_timeout()
            self.transport.abort()

    return Protocol


def _uvicorn(host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(
        APP,
        host=host,
        port=port,
        ws=_uvicorn_protocol(),
        ws_max_size=MAX_FRAME_BYTES,
        ws_ping_interval=PING_INTERVAL,
        ws_ping_timeout=PING_TIMEOUT,
        lifespan="off",
    )


SERVERS = {"daphne": _daphne, "uvicorn": _uvicorn}

# Net allocations between two young collections (Python's default is 700). An answer of a page of
# channels builds some 20,000 objects that all live until it is sent, and at 700 every one of them
# was walked by the collector many times over: a third of the call's CPU time, measured in-process.
YOUNG_COLLECTION_AFTER = 50_000


def _settle_collector() -> None:
    """Loads the app, then leaves what it loaded (modules, Django's and the schema's classes, which
    live as long as the process) out of every later collection with `gc.freeze`, and collects young
    objects less often: most of what a request makes is freed by its reference count alone, and
    the collector is there for the cycles."""
    import jatte.asgi  # noqa: F401  (Django and every chat module)

    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_AFTER, *gc.get_threshold()[1:])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--server", choices=sorted(SERVERS), default=os.environ.get("JATTE_SERVER", "uvicorn")
    )
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jatte.settings")
    redact.install()  # uvicorn's access and connection logs carry the query string
    _settle_collector()
    SERVERS[args.server](args.host, args.port)


if __name__ == "__main__":
    main()
