"""Screens of the app: the main boards, incident and force detail, and the filters dialog."""
