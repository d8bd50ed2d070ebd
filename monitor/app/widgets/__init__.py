"""Reusable widgets of the app: the boards, the map, the ticker and the status line."""
