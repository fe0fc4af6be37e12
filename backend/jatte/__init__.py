"""The Jatte Django project: settings, ASGI routing and HTTP endpoints."""
