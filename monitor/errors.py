"""The exception tree of situation-room: one root, so callers can catch everything we raise.

MonitorError
├── ConfigError          feeds.yaml or a rules file is invalid (carries every problem found)
├── RulesError           a rule file failed to load or a rule failed its own examples
├── StoreError           the data directory cannot be used
│   ├── StoreLockedError another process holds the single-writer lock (exit code 3)
│   ├── StoreCorruptError a store file is unreadable and no good backup exists
│   └── NoStoreError     a reader found no store in the data directory
├── FetchError           one feed could not be fetched (the message says why, in plain words)
│   ├── FetchTooLarge    the body passed the size cap
│   ├── FetchTimeout     the overall deadline passed
│   ├── FetchRefused     a redirect or URL scheme that is not allowed
│   └── FetchHTTPError   the server answered with an error status (carries status, Retry-After)
│       └── FetchGone    410: the feed is gone for good
└── ParseError           a fetched body is not a usable feed
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes of every situation-room command."""

    OK = 0
    FAILED = 1
    """With ``watch --once --fail-on-feed-errors``: some feeds failed. Otherwise: an unexpected error."""
    USAGE = 2
    """Bad arguments or an invalid config / rules file."""
    STORE = 3
    """The data directory is locked by another process or unusable."""


class MonitorError(Exception):
    """Root of every exception situation-room raises on purpose."""


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """One problem in a config or rules file, located for the user."""

    file: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        # keys, values and rule ids come from the file itself: never echo an escape sequence
        from monitor.text import sanitize

        file, key, message = sanitize(self.file), sanitize(self.key), sanitize(self.message)
        where = f"{file}:{self.line}" if self.line is not None else file
        return f"{where}: {key}: {message}" if key else f"{where}: {message}"


class ConfigError(MonitorError):
    """A configuration file is invalid; ``problems`` lists every problem found, not just the first."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class RulesError(ConfigError):
    """A rules file is invalid or a rule does not pass its own examples."""


class StoreError(MonitorError):
    """The data directory or one of its files cannot be used."""


class StoreLockedError(StoreError):
    """Another process is writing to the same data directory."""

    def __init__(self, data_dir: str, pid: int | None) -> None:
        self.data_dir = data_dir
        self.pid = pid
        holder = f"process {pid}" if pid else "another process"
        super().__init__(
            f"data directory {data_dir} is in use by {holder}; "
            "stop it or choose another directory with --data-dir"
        )


class StoreCorruptError(StoreError):
    """A store file is unreadable and there is no good backup to restore."""


class NoStoreError(StoreError):
    """A reader was pointed at a data directory that does not exist or holds no store."""


class FetchError(MonitorError):
    """A feed could not be fetched; the message is written for the user."""


class FetchTooLarge(FetchError):
    """The (decompressed) body passed the configured size cap."""


class FetchTimeout(FetchError):
    """The overall fetch deadline passed."""


class FetchRefused(FetchError):
    """A URL or redirect that situation-room will not follow (scheme, hop count, loop)."""


class FetchHTTPError(FetchError):
    """The server answered with an error status; ``retry_at`` is its Retry-After, when usable."""

    def __init__(self, message: str, status: int, retry_at: datetime | None = None) -> None:
        self.status = status
        self.retry_at = retry_at
        super().__init__(message)


class FetchGone(FetchHTTPError):
    """410 Gone: stop polling this feed until its configuration changes."""


class ParseError(MonitorError):
    """A body was fetched but is not a usable feed."""
