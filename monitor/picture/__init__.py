"""The situation picture: incidents merged from reports, the forces board, the zones board, alerts."""

from monitor.picture.picture import Picture, PictureChange, PictureSource

__all__ = ["Picture", "PictureChange", "PictureSource"]
