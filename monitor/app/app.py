"""The Textual app: wires the store, the pipeline worker and the screens; the work is elsewhere."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from monitor.app.board import Board, HeldReports, ReportLike
from monitor.app.commands import ActionsProvider
from monitor.app.data import StoreView, events_of, snapshot
from monitor.app.heap import Compactor, bulk_load, compact, screen_first, settle
from monitor.app.keys import APP_KEYS
from monitor.app.links import Opener, is_openable, open_in_browser
from monitor.app.live_marks import follow_marks
from monitor.app.messages import (
    ConfigReloaded,
    MarksArrived,
    PipelineFailed,
    PipelineWarning,
    ReportArrived,
)
from monitor.app.prefs import Prefs, load_prefs, save_prefs
from monitor.app.safe import plain
from monitor.app.screens.main import MainScreen
from monitor.app.sink import AppSink
from monitor.models import utcnow

Runner = Callable[[AppSink, asyncio.Event], Awaitable[None]]
"""Runs the pipeline with the app's sink until the event is set (on its own thread and loop)."""


COMPACT_CHECK_S = 30.0
"""How often the app asks whether a compaction of the frozen heap is due (``heap.Compactor``)."""


class SituationRoom(App[int]):
    """The boards of situation-room in a terminal."""

    CSS_PATH = "app.tcss"
    TITLE = "situation-room"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS: ClassVar = App.COMMANDS | {ActionsProvider}
    BINDINGS: ClassVar[list[BindingType]] = list(APP_KEYS)

    def __init__(
        self,
        store: StoreView,
        *,
        runner: Runner | None = None,
        opener: Opener = open_in_browser,
        now: Callable[[], datetime] = utcnow,
        prefs: Path | None = None,
        bell: bool = False,
        config: Path | None = None,
    ) -> None:
        super().__init__()
        self.config_path = config
        """The feeds.yaml in use (shown on the help screen); None for the demo and tests."""
        self._prefs_path = prefs
        """Where the theme is remembered; None: nothing is remembered (tests, the demo's own runs)."""
        self.bell_on_critical = bell
        """Ring the terminal bell when a critical alert arrives (feeds.yaml app.bell; ``b`` toggles)."""
        self.paused = False
        """While paused, reports are held (and counted) instead of moving the lists."""
        self.held = HeldReports()
        self._sink: AppSink | None = None
        self._summaries_loaded = False
        self._saved_theme: str | None = None
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
        self._while_shown = contextlib.ExitStack()
        """What is in force from mount to unmount (``heap.screen_first``)."""
        self._last_input = time.monotonic()
        self.compactor = Compactor(last=time.monotonic())
        """When the frozen heap is next collected (``heap.compact``), while nobody is typing."""

    def on_mount(self) -> None:
        self._while_shown.enter_context(screen_first())
        theme = self._saved_theme = load_prefs(self._prefs_path).theme
        if theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        with bulk_load():
            self.board.apply(snapshot(self.store, self.now()))
            self.board.set_marks(self.store.acknowledged(), self.store.muted())
        self.push_screen(MainScreen())
        self.set_interval(COMPACT_CHECK_S, self.compact_if_idle, name="compact")
        if self._runner is not None:
            self.pipeline_done.clear()
            self.run_pipeline()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self._last_input = time.monotonic()
        await super().on_event(event)

    def compact_if_idle(self) -> bool:
        """Compact the frozen heap when it is due and no key or mouse event came for a while."""
        now = time.monotonic()
        if not self.compactor.due(now, self._last_input):
            return False
        compact()
        self.compactor.last = time.monotonic()
        return True

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
        self._sink = sink = AppSink(self)
        marks = asyncio.create_task(follow_marks(self, stop))
        try:
            await self._runner(sink, stop)
            await marks  # until the app stops, even if the runner is done
        finally:
            marks.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await marks
            self._pipeline_loop = None
            self._sink = None

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
        self._while_shown.close()

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

    @on(ConfigReloaded)
    def _config_reloaded(self, message: ConfigReloaded) -> None:
        if message.problems:
            self.notify(
                plain(message.problems, 2000),
                title=f"{plain(Path(message.source).name)} not reloaded; the settings in force stay",
                severity="error",
                timeout=30,
                markup=False,
            )
        else:
            self.notify(plain(message.summary, 300), title="Reloaded", timeout=5, markup=False)

    @on(ReportArrived)
    def _report_arrived(self, message: ReportArrived) -> None:
        report = message.report
        self._ring_for(report)
        if self.paused:
            self.held.add(report, self.board)
            self._show_marks()
            return
        self.board.apply(report)
        self._schedule_repaint()

    def _schedule_repaint(self) -> None:
        if not self._repaint_pending:  # reports that arrive together are painted once
            self._repaint_pending = True
            self.call_later(self._repaint)

    def _repaint(self) -> None:
        self._repaint_pending = False
        settle()
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

    def acknowledge_all(self, incident_ids: list[str]) -> None:
        fresh = [i for i in incident_ids if i not in self.board.acknowledged]
        if fresh:
            self.store.acknowledge(fresh, on=True)
            for incident_id in fresh:
                self.board.mark(incident_id, acknowledged=True)
        self.notify(f"{len(fresh):,} incident(s) acknowledged.", timeout=3, markup=False)
        self._show_marks()

    def _marks_changed(self, what: str) -> None:
        self.notify(f"Incident {what}.", timeout=2, markup=False)
        self._show_marks()

    def _show_marks(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.show_marks()

    # --- pause, poll now, bell ---------------------------------------------------------------

    def toggle_pause(self) -> None:
        """Hold reports while the person reads; on resume everything held is shown at once."""
        self.paused = not self.paused
        if not self.paused:
            for report in self.held.release():
                self.board.apply(report)
            self._schedule_repaint()
        self._show_marks()

    def action_poll_now(self) -> None:
        if self.attached:
            self.notify(
                f"This view is {self.attached}, which does the polling; nothing to poll here.",
                severity="warning",
                markup=False,
            )
            return
        loop, sink = self._pipeline_loop, self._sink
        if loop is None or sink is None:
            self.notify("No pipeline is running: nothing to poll.", severity="warning", markup=False)
            return
        loop.call_soon_threadsafe(sink.requests.put_nowait, "poll")
        self.notify("Polling every feed now.", timeout=3, markup=False)

    def action_toggle_bell(self) -> None:
        self.bell_on_critical = not self.bell_on_critical
        state = "on" if self.bell_on_critical else "off"
        self.notify(f"Bell on critical alerts: {state}.", timeout=3, markup=False)
        self._show_marks()

    def _ring_for(self, report: ReportLike) -> None:
        if not self.bell_on_critical:
            return
        known = {a.id for a in self.board.alerts}
        if any(
            a.severity.value == "critical" and a.id not in known and a.incident not in self.board.muted
            for a in report.alerts
        ):
            self.bell()

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

    def show_feed(self, name: str) -> None:
        from monitor.app.screens.detail import FeedScreen

        board = self.board
        polls = list(board.polls.get(name, ()))
        self.push_screen(
            FeedScreen(name, board.feeds.get(name), polls, name in board.failed_feeds, self.now())
        )

    def load_summaries(self) -> None:
        """Read the stored items' summaries and fold every incident's words once, off the UI thread,
        when search is first opened; typing before that is searched on the UI thread."""
        if not self._summaries_loaded:
            self._summaries_loaded = True
            self._read_summaries()

    @work(thread=True, exclusive=True, exit_on_error=False, group="summaries")
    def _read_summaries(self) -> None:
        summaries = {item.key: item.summary for item in self.store.items() if item.summary}
        index = self.board.search_index(summaries)  # the folding, off the UI thread
        self.call_from_thread(self._summaries_read, summaries, index)

    def _summaries_read(self, summaries: dict[str, str], index: dict[str, Any]) -> None:
        self.board.add_summaries(summaries, index)
        self._show_marks()

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

    def _remember_theme(self, _theme: object) -> None:
        if self.theme == self._saved_theme:
            return  # the theme just restored at start: nothing new to write
        self._saved_theme = self.theme
        failed = save_prefs(self._prefs_path, Prefs(theme=self.theme))
        if failed:
            self.notify(f"The theme is not remembered: {failed}", severity="warning", markup=False)

    def action_help(self) -> None:
        from monitor.app.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.config_path, self._prefs_path))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own entries, less those ours replace: the Keys panel is the help screen (it
        closes with Esc), and Quit is already ours."""
        for command in super().get_system_commands(screen):
            if command.title == "Keys":
                yield SystemCommand("Keys", "Every key of every screen (Esc closes)", self.action_help)
            elif command.title != "Quit":
                yield command


def describe_error(error: BaseException | None) -> str:
    """An exception in words: its message, else its kind."""
    if error is None:
        return "unknown error"
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    kind = type(error).__name__
    return f"{text} ({kind})" if text else kind
