"""Acknowledgements and mutes made elsewhere, shown live: another attached viewer, the app that
writes the store, or this app's own earlier marks after a restart.

Both kinds of store the app shows (``Store``, ``AttachedStore``) follow ``marks.log`` cheaply: a
``stat`` when nothing changed, else only the appended bytes. This loop looks every
``MARKS_EVERY_S`` on the pipeline's thread (never the screen's: the writer's store may be busy
committing) and hands the board the marks whenever they may have changed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from monitor.app.messages import MarksArrived, PipelineWarning
from monitor.errors import StoreError

if TYPE_CHECKING:
    from monitor.app.app import SituationRoom

MARKS_EVERY_S = 0.25
"""How often the app looks at ``marks.log`` (one stat of it when nobody marked anything)."""


async def follow_marks(app: SituationRoom, stop: asyncio.Event, every_s: float = MARKS_EVERY_S) -> None:
    """Until ``stop``: post ``MarksArrived`` whenever the store's marks may have changed."""
    store = app.store
    version_of: Callable[[], int] | None = getattr(store, "marks_version", None)
    if version_of is None:  # a store that cannot say (nothing else writes its marks)
        await stop.wait()
        return
    seen: tuple[int, int] | None = None
    warned = False
    while not stop.is_set():
        edits = app.mark_edits  # before reading: a mark made here meanwhile makes this look stale
        try:
            version = await asyncio.to_thread(version_of)
            if (version, edits) != seen:
                acks, mutes = await asyncio.to_thread(lambda: (store.acknowledged(), store.muted()))
                app.post_message(MarksArrived(frozenset(acks), frozenset(mutes), edits))
                seen = (version, edits)
        except StoreError as exc:
            if not warned:
                warned = True
                app.post_message(PipelineWarning(f"marks made elsewhere are not shown: {exc}"))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every_s)
