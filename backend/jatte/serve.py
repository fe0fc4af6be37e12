"""`python -m jatte.serve`: run the ASGI app under daphne or uvicorn with Jatte's socket limits.

Both servers get the same contract: frames over 1 MiB close the socket with 1009, keepalive pings
find dead peers, close reasons reach the client. Daphne needs two adjustments for that: Autobahn,
under it, drops the TCP connection on an oversize frame instead of sending the 1009 close frame
unless `failByDrop` is off, and daphne passes the close code on but not the reason.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from chat.protocol import MAX_FRAME_BYTES

__all__ = ["main"]

APP = "jatte.asgi:application"
PING_INTERVAL = 20  # seconds between server pings (daphne's default)
PING_TIMEOUT = 30  # seconds without a pong before the peer counts as dead


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
            APP,
        ]
    )


def _uvicorn(host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(
        APP,
        host=host,
        port=port,
        ws_max_size=MAX_FRAME_BYTES,
        ws_ping_interval=PING_INTERVAL,
        ws_ping_timeout=PING_TIMEOUT,
        lifespan="off",
    )


SERVERS = {"daphne": _daphne, "uvicorn": _uvicorn}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--server", choices=sorted(SERVERS), default=os.environ.get("JATTE_SERVER", "daphne"))
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jatte.settings")
    SERVERS[args.server](args.host, args.port)


if __name__ == "__main__":
    main()
