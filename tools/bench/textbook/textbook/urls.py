"""No HTTP routes: the textbook chat is all WebSocket."""

urlpatterns: list[object] = []
