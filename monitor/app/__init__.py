"""The Textual app: the only part of situation-room that imports textual or rich."""
