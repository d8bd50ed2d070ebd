"""``watch --notify URL`` and the ``notify:`` block of feeds.yaml: each alert to a team's channel
through Apprise (Slack, Matrix, Telegram, Signal's REST API, ntfy, email, webhooks...).

Apprise is an optional extra (``pip install 'situation-room[notify]'``), imported only when a
target is configured. Each target is a durable sink of its own (``watch-notify-<name>``) with its
own pending list in the store, exactly like ``--exec``: an alert is marked done for a target only
after Apprise reported it sent, a failure is reported on stderr (the URL shown with its secrets
masked) and retried on the next cycle or run, in order. A target may narrow what it gets with
query parameters of our own, taken off the URL before Apprise sees it: ``min_severity``,
``category``, ``zone`` and ``country`` (``json://host/hook?min_severity=high&zone=rafah``).
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from monitor.diagnostics import Warn
from monitor.models import Alert, Category, Severity
from monitor.sinks.alert_filter import PASS_ALL, AlertFilter, RejectsAlerts
from monitor.sinks.alert_format import TITLE_MAX, alert_record, safe_link, zone_label
from monitor.sinks.durable import AlertLedger, DurableAlertSink, warn_stderr
from monitor.text import sanitize

if TYPE_CHECKING:
    from monitor.config import NotifyTargetConfig

NOTIFY_SINK_PREFIX = "watch-notify-"
"""Sink names of notification targets: this prefix and the target's name."""
DEFAULT_TIMEOUT_S = 30.0
FILTER_PARAMS = ("min_severity", "category", "zone", "country")
"""Query parameters that are ours (a per-target filter), removed before the URL goes to Apprise."""
INSTALL_HINT = "pip install 'situation-room[notify]'"
_REASON_MAX = 300


class NotifySetupError(ValueError):
    """A target that cannot be used: Apprise missing, a URL Apprise does not know, a bad filter."""


@dataclass(frozen=True)
class NotifyTarget:
    """One channel: the URL for Apprise, the name its pending list is kept under, and its filter."""

    name: str
    url: str
    alert_filter: AlertFilter = PASS_ALL

    @property
    def sink(self) -> str:
        return NOTIFY_SINK_PREFIX + self.name


def target_from_url(raw: str) -> NotifyTarget:
    """A ``--notify URL`` target: our filter parameters taken off, named by a digest of the rest
    (so its pending list is the same in every run given the same URL)."""
    from monitor.sinks.filter_names import UnknownName, resolve_countries, resolve_zones

    parts = urlsplit(raw.strip())
    if not parts.scheme:
        raise NotifySetupError(f"{_shown(raw)}: not a notification URL (it needs a scheme such as json://)")
    ours: dict[str, list[str]] = {}
    theirs: list[tuple[str, str]] = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key in FILTER_PARAMS:
            ours.setdefault(key, []).extend(v.strip() for v in value.split(",") if v.strip())
        else:
            theirs.append((key, value))
    url = urlunsplit(parts._replace(query=urlencode(theirs)))
    try:
        severity = [Severity(v.lower()) for v in ours.get("min_severity", [])]
        categories = [Category(v.lower()) for v in ours.get("category", [])]
    except ValueError as exc:
        raise NotifySetupError(f"{_shown(raw)}: {exc}") from None
    if len(severity) > 1:
        raise NotifySetupError(f"{_shown(raw)}: min_severity given more than once")
    try:
        zones = resolve_zones(ours.get("zone", []))
        countries = resolve_countries(ours.get("country", []))
    except UnknownName as exc:
        raise NotifySetupError(f"{_shown(raw)}: {exc}") from None
    alert_filter = AlertFilter.build(
        categories=categories,
        min_severity=severity[0] if severity else None,
        zones=zones,
        countries=countries,
    )
    name = hashlib.sha256(url.encode("utf-8")).hexdigest()[:12]
    return NotifyTarget(name=name, url=url, alert_filter=alert_filter)


def target_from_config(config: NotifyTargetConfig) -> NotifyTarget:
    """A target of the ``notify:`` block (its names were checked when feeds.yaml was loaded)."""
    from monitor.sinks.filter_names import resolve_countries, resolve_zones

    return NotifyTarget(
        name=config.name,
        url=config.url,
        alert_filter=AlertFilter.build(
            categories=config.categories,
            min_severity=config.min_severity,
            zones=resolve_zones(config.zones),
            countries=resolve_countries(config.countries),
        ),
    )


def _shown(url: str) -> str:
    """A URL as it may appear on stderr: scheme and host only (paths and queries carry tokens)."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    return sanitize(f"{parts.scheme}://{host}/…" if parts.scheme else "(URL without a scheme)", 120)


def message(alert: Alert) -> tuple[str, str]:
    """(title, body) in plain text: severity and headline; then what, where, how sure, and the link."""
    record = alert_record(alert)
    title = f"[{alert.severity.value.upper()}] {sanitize(alert.title, TITLE_MAX) or '(no title)'}"
    category = alert.category.value if alert.category is not None else alert.kind
    sources = f"{alert.sources} source" + ("" if alert.sources == 1 else "s")
    facts = [category.replace("_", " "), sanitize(zone_label(alert), 40), sources]
    if record["status"]:
        facts.append(str(record["status"]))
    lines = [" · ".join(facts)]
    link = safe_link(alert.link)
    if link:
        lines.append(link)
    lines.append(f"alert {record['id']}")
    return title, "\n".join(lines)


_NOTIFY_TYPE = {Severity.CRITICAL: "failure", Severity.HIGH: "warning"}


class NotifySink(DurableAlertSink):
    """Sends each pending alert to one Apprise target; marks it done only when Apprise says sent."""

    def __init__(
        self,
        ledger: AlertLedger,
        target: NotifyTarget,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        alert_filter: RejectsAlerts = PASS_ALL,
        catchup: bool = False,
        stop: asyncio.Event | None = None,
        warn: Warn = warn_stderr,
        prepared: tuple[Any, str] | None = None,
    ) -> None:
        from monitor.sinks.alert_filter import AllOf

        super().__init__(
            target.sink,
            ledger,
            alert_filter=AllOf((alert_filter, target.alert_filter)),
            catchup=catchup,
            stop=stop,
            warn=warn,
        )
        self.target = target
        self.timeout_s = timeout_s
        self.failures = 0
        self._apprise, self.shown = prepared if prepared is not None else self.prepare(target)

    @staticmethod
    def prepare(target: NotifyTarget) -> tuple[Any, str]:
        """Apprise loaded with the target's URL, and the URL as shown; NotifySetupError if unusable."""
        return _apprise_for(target.url)

    async def emit_pending(self) -> None:
        before = self.failures
        await super().emit_pending()
        if self.failures > before:
            left = len(self._ledger.pending_alerts(self.name))
            self._warn(f"notify {self.shown}: {left} alert(s) left pending; retrying on the next cycle")

    async def handle(self, alert: Alert) -> bool:
        title, body = message(alert)
        notify_type = _NOTIFY_TYPE.get(alert.severity, "info")
        try:
            problem = await asyncio.wait_for(
                asyncio.to_thread(self._send, title, body, notify_type), timeout=self.timeout_s
            )
        except TimeoutError:
            problem = f"no answer within {self.timeout_s:g} s"
        if problem is None:
            return True
        self.failures += 1
        self._warn(f"notify {self.shown}: {sanitize(problem, _REASON_MAX)} for alert {alert.id}")
        return False

    def _send(self, title: str, body: str, notify_type: str) -> str | None:
        """Send once (in a worker thread); None when Apprise reports success, else why not."""
        apprise: Any = importlib.import_module("apprise")  # its LogCapture is untyped

        with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as logs:
            try:
                sent = bool(
                    self._apprise.notify(
                        body=body, title=title, notify_type=notify_type, body_format=apprise.NotifyFormat.TEXT
                    )
                )
            except Exception as exc:  # a plugin bug must not stop watch; the alert stays pending
                return f"failed: {type(exc).__name__}: {exc}"
            said = [line for line in logs.getvalue().splitlines() if line.strip()]
        if sent:
            return None
        return "failed" + (f": {said[-1]}" if said else "")


def _apprise_for(url: str) -> tuple[Any, str]:
    """An Apprise object holding ``url`` and the URL as shown on stderr (secrets masked by Apprise)."""
    try:
        apprise: Any = importlib.import_module("apprise")
    except ImportError:
        raise NotifySetupError(f"notification targets need Apprise: {INSTALL_HINT}") from None
    obj = apprise.Apprise()
    with apprise.LogCapture(level=logging.WARNING):  # its own complaint would go to stderr unsanitised
        added = obj.add(url)
    if not added:
        raise NotifySetupError(f"{_shown(url)}: not a notification URL Apprise knows")
    try:
        shown = sanitize(obj[0].url(privacy=True), 200)
    except Exception:
        shown = _shown(url)
    return obj, shown


def build_targets(urls: Sequence[str], configured: Sequence[NotifyTargetConfig]) -> list[NotifyTarget]:
    """Targets of feeds.yaml then of ``--notify``; NotifySetupError for the first unusable one."""
    targets = [target_from_config(c) for c in configured] + [target_from_url(u) for u in urls]
    seen: set[str] = set()
    out = []
    for target in targets:
        if target.sink not in seen:  # the same URL twice is one target
            seen.add(target.sink)
            out.append(target)
    return out
