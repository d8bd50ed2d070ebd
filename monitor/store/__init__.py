"""The TinyDB store: atomic writes, one writer, a small hot state file, day-sharded history with retention."""

from monitor.store.signals import exit_on_termination
from monitor.store.storage import print_to_stderr
from monitor.store.store import Batch, Store, read_feed_states

__all__ = ["Batch", "Store", "exit_on_termination", "print_to_stderr", "read_feed_states"]
