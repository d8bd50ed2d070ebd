"""The Textual app: wires the store, the pipeline worker and the screens; the work is elsewhere."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import threading
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, ClassVar

from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.worker import Worker, WorkerState

from monitor.app.board import Board
from monitor.app.commands import ActionsProvider
from monitor.app.data import StoreView, events_of, snapshot
from monitor.app.links import Opener, is_openable, open_in_browser
from monitor.app.live_marks import follow_marks
from monitor.app.messages import MarksArrived, PipelineFailed, PipelineWarning, ReportArrived
from monitor.app.safe import plain
from monitor.app.screens.main import MainScreen
from monitor.app.sink import AppSink
from monitor.models import utcnow

Runner = Callable[[AppSink, asyncio.Event], Awaitable[None]]
"""Runs the pipeline with the app's sink until the event is set (on its own thread and loop)."""


class SituationRoom(App[int]):
    """The boards of situation-room in a terminal."""

    CSS_PATH = "app.tcss"
    TITLE = "situation-room"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS: ClassVar = App.COMMANDS | {ActionsProvider}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "toggle_theme", "Theme"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self,
        store: StoreView,
        *,
        runner: Runner | None = None,
        opener: Opener = open_in_browser,
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__()
        self.store = store
        self.board = Board()
        self.now = now
        self.trouble = ""
        self.attached = ""
        """Set when this app follows another process's store (``monitor.app.attach``): the header says so."""
        self._runner = runner
        self._opener = opener
        self._pipeline_loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self.pipeline_done = threading.Event()
        """Set when the pipeline's thread has finished (or never started): the store may close."""
        self.pipeline_done.set()
        self._quitting = threading.Event()
        self._repaint_pending = False
        self._mark_edits = 0
        """Acknowledgements and mutes made here (see ``MarksArrived``)."""

    def on_mount(self) -> None:
        self.board.apply(snapshot(self.store, self.now()))
        self.board.set_marks(self.store.acknowledged(), self.store.muted())
        _settle()
        self.push_screen(MainScreen())
        if self._runner is not None:
            self.pipeline_done.clear()
            self.run_pipeline()

    # --- the pipeline, on its own thread and event loop ---------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, name="pipeline", group="pipeline")
    def run_pipeline(self) -> None:
        try:
            asyncio.run(self._pipeline_main())
        finally:
            self.pipeline_done.set()

    async def _pipeline_main(self) -> None:
        assert self._runner is not None
        stop = self._stop = asyncio.Event()
        self._pipeline_loop = asyncio.get_running_loop()
        if self._quitting.is_set():  # the person quit before this thread got going
            stop.set()
        marks = asyncio.create_task(follow_marks(self, stop))
        try:
            await self._runner(AppSink(self), stop)
            await marks  # until the app stops, even if the runner is done
        finally:
            marks.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await marks
            self._pipeline_loop = None

    def stop_pipeline(self) -> None:
        self._quitting.set()
        loop, stop = self._pipeline_loop, self._stop
        if loop is not None and stop is not None:
            loop.call_soon_threadsafe(stop.set)

    async def action_quit(self) -> None:
        self.stop_pipeline()
        self.exit(0)

    def exit(self, *args: Any, **kwargs: Any) -> None:
        self._quitting.set()  # from here on, reports are stored but no longer painted
        super().exit(*args, **kwargs)

    def on_unmount(self) -> None:
        self.stop_pipeline()

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "pipeline" or event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        self.post_message(PipelineFailed(describe_error(error)))

    @on(PipelineFailed)
    def _pipeline_failed(self, message: PipelineFailed) -> None:
        self.trouble = f"monitoring stopped: {message.reason}"
        self.notify(self.trouble, title="Pipeline stopped", severity="error", timeout=30, markup=False)
        self._repaint()

    @on(PipelineWarning)
    def _pipeline_warning(self, message: PipelineWarning) -> None:
        self.notify(plain(message.text, 300), title="Warning", severity="warning", timeout=8, markup=False)

    @on(ReportArrived)
    def _report_arrived(self, message: ReportArrived) -> None:
        self.board.apply(message.report)
        if not self._repaint_pending:  # reports that arrive together are painted once
            self._repaint_pending = True
            self.call_later(self._repaint)

    def _repaint(self) -> None:
        self._repaint_pending = False
        _settle()
        if self._quitting.is_set():  # a last report while the app closes: its panels are going
            return
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.show_all()

    # --- store access: the Store serialises its calls with its own lock, so the UI thread may call
    # it while the pipeline's thread commits (an acknowledgement is an append to marks.log under
    # that file's own lock, so it never waits for a commit).

    @property
    def mark_edits(self) -> int:
        """How many acknowledgements and mutes were made in this app (see ``MarksArrived``)."""
        return self._mark_edits

    @on(MarksArrived)
    def _marks_arrived(self, message: MarksArrived) -> None:
        board = self.board
        if message.edits != self._mark_edits or self._quitting.is_set():
            return  # read before a mark made here: the next look brings both
        if message.acknowledged == board.acknowledged and message.muted == board.muted:
            return
        board.set_marks(message.acknowledged, message.muted)
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.show_marks()

    def toggle_acknowledged(self, incident_id: str) -> None:
        on_ = incident_id not in self.board.acknowledged
        self._mark_edits += 1
        self.store.acknowledge([incident_id], on=on_)
        self.board.mark(incident_id, acknowledged=on_)
        self._marks_changed("acknowledged" if on_ else "no longer acknowledged")

    def toggle_muted(self, incident_id: str) -> None:
        on_ = incident_id not in self.board.muted
        self._mark_edits += 1
        self.store.mute([incident_id], on=on_)
        self.board.mark(incident_id, muted=on_)
        self._marks_changed("muted" if on_ else "unmuted")

    def _marks_changed(self, what: str) -> None:
        self.notify(f"Incident {what}.", timeout=2, markup=False)
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.show_marks()

    # --- screens and actions ---------------------------------------------------------------

    def show_incident(self, incident_id: str) -> None:
        from monitor.app.screens.detail import IncidentScreen

        incident = self.board.incidents.get(incident_id)
        if incident is None:
            return
        events = events_of(self.store, incident)
        keys = {e.item_key for e in events} | {s.item_key for s in incident.sources}
        items = {k: it for k in keys if (it := self.store.item(k)) is not None}
        alerts = [a for a in self.board.alerts if a.incident == incident_id]
        self.push_screen(IncidentScreen(incident, events, items, alerts))

    def show_force(self, contributor: str) -> None:
        from monitor.app.screens.detail import ForceScreen

        force = self.board.forces.get(contributor)
        if force is None:
            return
        keys = {s.item_key for s in force.evidence}
        since = min((s.published for s in force.evidence), default=None)
        events = self.store.events(since=since)
        stages = {e.item_key: e.detail.get("stage", "") for e in events if e.item_key in keys}
        self.push_screen(ForceScreen(force, stages))

    def open_link(self, url: str | None) -> None:
        """Hand an http(s) link to the opener; anything else is refused with a word why."""
        if not url:
            self.notify("This report has no link.", severity="warning", markup=False)
        elif not is_openable(url):
            self.notify("Not an http(s) link; not opened.", severity="warning", markup=False)
        else:
            opened = self._opener(url)
            if opened is False:
                self.notify(f"No browser could be started. The link: {url}", timeout=15, markup=False)
            else:
                self.notify("Opened in the browser.", timeout=2, markup=False)

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"


def _settle() -> None:
    """Move what the board holds out of the cyclic collector's way.

    Tens of thousands of stored records make each full collection scan millions of objects; those
    pauses (measured: up to 0.9 s with 55,000 incidents) land on whatever key is pressed next.
    Frozen objects are still freed by reference counting when the board drops them.
    """
    gc.collect(1)
    gc.freeze()


def describe_error(error: BaseException | None) -> str:
    """An exception in words: its message, else its kind."""
    if error is None:
        return "unknown error"
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    kind = type(error).__name__
    return f"{text} ({kind})" if text else kind
