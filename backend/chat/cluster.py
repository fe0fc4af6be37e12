"""What processes sharing one Redis agree on: key names under a prefix, and which of them are alive.

Every key starts with JATTE_REDIS_PREFIX, so two deployments on one Redis never meet. What a
process counts in Redis (its watchers of a channel, its sockets of a user) is filed under its id,
and counted only while `<prefix>:alive:<id>` exists: the process refreshes that key, which expires
JATTE_REDIS_TTL after its last refresh, so a crashed process inflates nothing for longer.
"""

from __future__ import annotations

import os
import socket
import uuid

__all__ = ["COUNT_LIVE", "new_process_id"]


def new_process_id() -> str:
    """An id unique among all processes on a Redis, restarts included."""
    return f"{socket.gethostname()}.{os.getpid()}.{uuid.uuid4().hex[:8]}"


# KEYS[1]: a hash {process id: count}. ARGV[1]: the prefix of alive keys (`<prefix>:alive:`).
# The sum over live processes; the dead ones' fields are removed. One round trip.
COUNT_LIVE = """
local entries = redis.call('HGETALL', KEYS[1])
local total = 0
for i = 1, #entries, 2 do
  if redis.call('EXISTS', ARGV[1] .. entries[i]) == 1 then
    total = total + tonumber(entries[i + 1])
  else
    redis.call('HDEL', KEYS[1], entries[i])
  end
end
return total
"""
