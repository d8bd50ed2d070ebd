"""feeds.yaml → validated, immutable settings. Every error names file, line and key, all at once."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from monitor.errors import ConfigError, ConfigProblem
from monitor.models import Category, Severity, Tier
from monitor.yamlnodes import Document, parse_document
from monitor.yamlnodes import format_key as _format_key
from monitor.yamlnodes import line_of as _line_of

MIN_INTERVAL_S = 30


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FeedConfig(_Strict):
    """One feed to poll."""

    name: Annotated[str, Field(min_length=1, max_length=80)]
    """Short unique name shown in the app and in alerts."""
    url: str
    """http(s) URL, or a path to a local file (relative paths are relative to the config file)."""
    interval: int = 300
    """Seconds between polls (at least 30)."""
    tier: Tier = "outlet"
    """wire, outlet, official, ngo or osint."""
    party: str | None = None
    """The conflict party running this feed (e.g. "Israel", "Hamas"); it never corroborates alone."""
    language: str = "en"
    """ISO 639-1 language code of the feed's text."""
    enabled: bool = True
    """Disabled feeds are kept in the file but never polled."""
    tags: tuple[str, ...] = ()
    """Free-form labels for filtering."""

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be empty")
        if "://" in value:
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https"):
                raise ValueError(f"scheme {parts.scheme!r} is not allowed (use http, https or a file path)")
            if not parts.hostname:
                raise ValueError("has no host name")
        return value

    @field_validator("interval")
    @classmethod
    def _check_interval(cls, value: int) -> int:
        if value < MIN_INTERVAL_S:
            raise ValueError(f"must be at least {MIN_INTERVAL_S} seconds")
        return value

    @property
    def is_file(self) -> bool:
        """True when the url is a local file path rather than an http(s) URL."""
        return "://" not in self.url


class Limits(_Strict):
    """How much any one fetch may take."""

    timeout_s: float = Field(default=30.0, gt=0, le=600)
    """Overall deadline for one fetch, including a trickling body."""
    connect_timeout_s: float = Field(default=10.0, gt=0, le=120)
    """Deadline for opening the connection."""
    max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    """Largest body accepted, after decompression."""
    max_items: int = Field(default=500, ge=1)
    """Most entries taken from one fetch."""


class NotifyTargetConfig(_Strict):
    """One channel ``watch`` sends every alert to through Apprise (the ``notify`` extra)."""

    name: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    """Names the target's pending list in the store (letters, digits, ``_ . -``); keep it stable."""
    url: Annotated[str, Field(min_length=1)]
    """An Apprise URL (``slack://...``, ``matrixs://...``, ``ntfys://...``, ``json://...``)."""
    min_severity: Severity | None = None
    """Only alerts at least this severe."""
    categories: tuple[Category, ...] = ()
    """Only these categories (force changes count as force_deployment, zone changes as safe_zone)."""
    zones: tuple[str, ...] = ()
    """Only alerts naming one of these zones or a zone inside it (any gazetteer spelling)."""
    countries: tuple[str, ...] = ()
    """Only alerts naming one of these countries."""

    @field_validator("zones")
    @classmethod
    def _known_zones(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        from monitor.sinks.filter_names import resolve_zones

        resolve_zones(value)  # UnknownName is a ValueError naming the nearest zones
        return value

    @field_validator("countries")
    @classmethod
    def _known_countries(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        from monitor.sinks.filter_names import resolve_countries

        resolve_countries(value)
        return value


class AppOptions(_Strict):
    """How the terminal app behaves."""

    bell: bool = False
    """Ring the terminal bell when a critical alert arrives (the app's ``b`` key toggles it)."""


class Settings(_Strict):
    """The whole of feeds.yaml."""

    feeds: tuple[FeedConfig, ...] = ()
    """The feeds to poll."""
    concurrency: int = Field(default=16, ge=1, le=256)
    """Most fetches in flight at once."""
    per_host: int = Field(default=2, ge=1, le=32)
    """Most fetches in flight to one host."""
    limits: Limits = Limits()
    """Deadlines and size caps for every fetch."""
    retention_days: int = Field(default=30, ge=1, le=3650)
    """Days of item and event history kept."""
    rules: tuple[str, ...] = ()
    """Extra rule files (paths relative to the config file) added to the default rules."""
    statistical: bool = True
    """Let the statistical reading add events (rule ids ``ngram.*``) where no rule matched; false: the
    rules alone."""
    notify: tuple[NotifyTargetConfig, ...] = ()
    """Channels ``watch`` sends alerts to (through Apprise), each with its own filter and pending list."""
    update_gap_s: int = Field(default=600, ge=0, le=86400)
    """Seconds between two update alerts of one incident; later updates wait (a status change never does)."""
    app: AppOptions = AppOptions()
    """Options of the terminal app."""
    source: str = Field(default="<defaults>", exclude=True)
    """Where these settings came from (set by the loader)."""

    @field_validator("feeds", "rules", "notify", mode="before")
    @classmethod
    def _empty_list(cls, value: object) -> object:
        # "feeds:" with nothing under it (a list not yet started) means no feeds, not an error.
        return () if value is None else value

    def enabled_feeds(self) -> tuple[FeedConfig, ...]:
        return tuple(f for f in self.feeds if f.enabled)

    def feed(self, name: str) -> FeedConfig | None:
        return next((f for f in self.feeds if f.name == name), None)

    def location(self, feed: FeedConfig) -> str:
        """What is fetched for ``feed`` and recorded as its state's url: the URL, or the file path
        made absolute (so a feed's health is found again whatever the working directory)."""
        return str(self.resolve(feed.url)) if feed.is_file else feed.url

    def resolve(self, path: str) -> Path:
        """A path from the config file, made absolute relative to that file's folder."""
        base = Path(self.source).parent if self.source != "<defaults>" else Path.cwd()
        return (base / Path(path).expanduser()).resolve()


# --- loading with line numbers --------------------------------------------------------------


def load_settings(path: Path | str) -> Settings:
    """Read and validate a feeds.yaml; raise ConfigError listing every problem with its line."""
    path = Path(path)
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        hint = "file not found; `situation-room init` writes a commented one there"
        raise ConfigError([ConfigProblem(name, None, "", hint)]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([ConfigProblem(name, None, "", f"cannot read: {exc}")]) from None
    return parse_settings(text, name)


def parse_settings(text: str, name: str = "feeds.yaml") -> Settings:
    """Validate YAML text; ``name`` is used in error messages."""
    return settings_from_document(parse_document(text, name), name)  # ConfigError: invalid YAML, alias bomb


def settings_from_document(doc: Document, name: str = "feeds.yaml") -> Settings:
    """Validate a parsed feeds.yaml (``yamlnodes.parse_document``); ConfigError lists every problem."""
    data, node = ({} if doc.data is None else doc.data), doc.root
    if not isinstance(data, dict):
        raise ConfigError([ConfigProblem(name, 1, "", "the top level must be a mapping (feeds: ...)")])
    problems = list(doc.duplicates) + _duplicates(data, node, name) + _duplicate_targets(data, node, name)
    try:
        settings = Settings.model_validate({**data, "source": name})
    except ValidationError as exc:
        problems = _problems(exc, node, name) + problems
    if problems:
        raise ConfigError(sorted(problems, key=lambda p: (p.line or 0, p.key)))
    return settings


def _duplicates(data: dict[str, Any], root: yaml.Node | None, name: str) -> list[ConfigProblem]:
    """Feeds that repeat an earlier feed's name or URL (checked on the raw data, so always reported)."""
    feeds = data.get("feeds")
    if not isinstance(feeds, list):
        return []
    problems: list[ConfigProblem] = []
    seen: dict[tuple[str, str], int] = {}
    for i, feed in enumerate(feeds):
        if not isinstance(feed, dict):
            continue
        for field in ("name", "url"):
            value = feed.get(field)
            if not isinstance(value, str):
                continue
            norm = value.strip().rstrip("/") if field == "url" else value.strip()
            first = seen.setdefault((field, norm), i)
            if first != i:
                loc: list[str | int] = ["feeds", i, field]
                problems.append(
                    ConfigProblem(name, _line_of(root, loc), _format_key(loc), f"duplicate of feeds[{first}]")
                )
    return problems


def _duplicate_targets(data: dict[str, Any], root: yaml.Node | None, name: str) -> list[ConfigProblem]:
    """Notify targets that repeat an earlier one's name: two targets would share one pending list."""
    targets = data.get("notify")
    if not isinstance(targets, list):
        return []
    problems: list[ConfigProblem] = []
    seen: dict[str, int] = {}
    for i, target in enumerate(targets):
        value = target.get("name") if isinstance(target, dict) else None
        if isinstance(value, str) and seen.setdefault(value.strip(), i) != i:
            loc: list[str | int] = ["notify", i, "name"]
            message = f"duplicate of notify[{seen[value.strip()]}]"
            problems.append(ConfigProblem(name, _line_of(root, loc), _format_key(loc), message))
    return problems


def _problems(exc: ValidationError, root: yaml.Node | None, name: str) -> list[ConfigProblem]:
    problems: list[ConfigProblem] = []
    for err in exc.errors():
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        message = _message(err)
        key = _format_key(loc)
        problems.append(ConfigProblem(name, _line_of(root, loc), key, message))
    return problems


def _message(err: Any) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required key is missing"
    msg = str(err["msg"])
    return msg.removeprefix("Value error, ")


def default_config_path(cwd: Path | None = None) -> Path:
    """./feeds.yaml when present, else feeds.yaml in the user config dir."""
    local = (cwd or Path.cwd()) / "feeds.yaml"
    if local.exists():
        return local
    return user_config_path()


def user_config_path() -> Path:
    """feeds.yaml in the user config dir (where ``situation-room init`` writes it)."""
    import platformdirs

    return Path(platformdirs.user_config_dir("situation-room")) / "feeds.yaml"


def sample_config() -> str:
    """The commented feeds.yaml that ships with the package (in a checkout: the repository's)."""
    from importlib.resources import files

    shipped = files("monitor").joinpath("_data/feeds.yaml")
    if shipped.is_file():
        return shipped.read_text(encoding="utf-8")
    return (Path(__file__).resolve().parent.parent / "feeds.yaml").read_text(encoding="utf-8")


def init_config(path: Path) -> None:
    """Write the shipped feeds.yaml to ``path``; an existing file is never replaced (ConfigError)."""
    from monitor.errors import MonitorError
    from monitor.files import write_atomically

    if path.exists():
        raise ConfigError([ConfigProblem(str(path), None, "", "already exists; left as it is")])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MonitorError(f"cannot write {path}: {exc.strerror}") from None
    write_atomically(path, sample_config())


def default_data_dir() -> Path:
    """$SITUATION_ROOM_DATA, else the platform's user data dir."""
    import platformdirs

    env = os.environ.get("SITUATION_ROOM_DATA")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("situation-room"))
