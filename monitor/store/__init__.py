"""The TinyDB store: atomic writes, one writer, a small hot state file, day-sharded history with retention."""

from monitor.errors import NoStoreError
from monitor.store.reader import StoreReader, has_store, read_feed_states
from monitor.store.signals import exit_on_termination
from monitor.store.store import Batch, Store

__all__ = [
    "Batch",
    "NoStoreError",
    "Store",
    "StoreReader",
    "exit_on_termination",
    "has_store",
    "read_feed_states",
]
