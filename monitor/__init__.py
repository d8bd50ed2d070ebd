"""situation-room: a terminal monitor for ceasefire violations and force deployments in news feeds."""

__version__ = "0.1.0"
