"""The textbook Django Channels chat, as most Django chat projects ship it (the benchmark's middle row)."""
