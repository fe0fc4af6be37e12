"""The chat app: Stream-shaped channels, members, messages and read state over WebSockets."""
