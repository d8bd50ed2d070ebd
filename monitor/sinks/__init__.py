"""Headless sinks of the picture: the alert writer and the exports."""
