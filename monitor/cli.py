"""Command-line entry point: parses arguments and hands off; imports heavy parts (the app) lazily."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path

from monitor import __version__
from monitor.errors import ConfigError, ExitCode, MonitorError, StoreError
from monitor.models import FeedState

TIERS = ("wire", "outlet", "official", "ngo", "osint")

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="situation-room",
        description="Watch news feeds for ceasefire violations and force deployments.",
    )
    parser.add_argument("--version", action="version", version=f"situation-room {__version__}")
    _add_common(parser)
    parser.add_argument(
        "--demo", action="store_true", help="open the app on the built-in demo scenario (a temporary store)"
    )
    parser.add_argument(
        "--speed",
        type=float,
        default=1.0,
        metavar="X",
        help="with --demo: replay X times faster (default: 1)",
    )
    parser.set_defaults(handler=_app)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    return parser


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        metavar="PATH",
        help="feeds.yaml to use (default: ./feeds.yaml if present, else the user config dir)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="where the store lives (default: $SITUATION_ROOM_DATA, else the user data dir)",
    )


# --- the app (no command) -------------------------------------------------------------------


def _app(args: argparse.Namespace) -> int:
    from monitor.app.launch import Launch, run_app

    if not args.speed > 0:
        raise MonitorError("--speed must be a positive number")
    data_dir = Path(args.data_dir) if args.data_dir else (None if args.demo else _data_dir(args))
    return run_app(Launch(_config_path(args), data_dir, demo=args.demo, speed=args.speed))


# --- feeds ----------------------------------------------------------------------------------


def _add_feeds(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    feeds = sub.add_parser("feeds", help="check, import and export the feed list")
    feeds.set_defaults(handler=lambda _args: _usage(feeds))
    fsub = feeds.add_subparsers(title="feeds commands", metavar="ACTION")
    check = fsub.add_parser("check", help="validate feeds.yaml and list the feeds")
    check.set_defaults(handler=_feeds_check)
    imp = fsub.add_parser("import", help="add the feeds of an OPML file to feeds.yaml")
    imp.add_argument("opml", type=Path, metavar="FILE.opml")
    imp.add_argument(
        "--tier",
        choices=TIERS,
        default=None,
        help="tier given to every imported feed (default: the tier the file carries, else outlet)",
    )
    imp.set_defaults(handler=_feeds_import)
    exp = fsub.add_parser("export", help="write the feed list as OPML 2.0 to stdout")
    exp.set_defaults(handler=_feeds_export)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage(sys.stderr)
    print(f"{parser.prog}: error: choose a command (see --help)", file=sys.stderr)
    return ExitCode.USAGE


def _config_path(args: argparse.Namespace) -> Path:
    from monitor.config import default_config_path

    return Path(args.config) if args.config else default_config_path()


def _feeds_check(args: argparse.Namespace) -> int:
    from monitor.config import load_settings
    from monitor.feeds_table import render_feeds_table

    settings = load_settings(_config_path(args))
    sys.stdout.write(render_feeds_table(settings, _feed_states(args)))
    return ExitCode.OK


def _feed_states(args: argparse.Namespace) -> dict[str, FeedState]:
    """Feed states from the store, if there is one; never creates or locks anything."""
    from monitor.store import read_feed_states

    return read_feed_states(_data_dir(args))


def _data_dir(args: argparse.Namespace) -> Path:
    from monitor.config import default_data_dir

    return Path(args.data_dir) if args.data_dir else default_data_dir()


def _feeds_import(args: argparse.Namespace) -> int:
    from monitor.opml import import_opml

    path = _config_path(args)
    added, skipped = import_opml(args.opml, path, tier=args.tier)
    print(f"added {added} feed(s) to {path}; {skipped} already present", file=sys.stderr)
    return ExitCode.OK


def _feeds_export(args: argparse.Namespace) -> int:
    from monitor.config import load_settings
    from monitor.opml import export_opml

    sys.stdout.write(export_opml(load_settings(_config_path(args))))
    return ExitCode.OK


# --- export ---------------------------------------------------------------------------------


def _add_export(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    exp = sub.add_parser(
        "export",
        help="write incidents, the boards and feed health as md, jsonl, csv or geojson",
        description=(
            "Read the store and write a Markdown sitrep, JSON lines, CSV (incidents) or GeoJSON. "
            "The store is opened with its single-writer lock: while a monitor runs on the same "
            "data directory, export says so and exits with code 3."
        ),
    )
    exp.add_argument(
        "--format", choices=("md", "jsonl", "csv", "geojson"), default="md", help="(default: md)"
    )
    exp.add_argument(
        "--since",
        type=_duration,
        metavar="DURATION",
        help="only incidents reported within this time before now, e.g. 90m, 24h, 7d (default: all stored)",
    )
    exp.add_argument("--output", "-o", type=Path, metavar="FILE", help="write to FILE instead of stdout")
    exp.set_defaults(handler=_export)


def _duration(text: str) -> timedelta:
    from monitor.sinks.export import parse_duration

    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _export(args: argparse.Namespace) -> int:
    from monitor.config import Settings, load_settings
    from monitor.models import utcnow
    from monitor.picture.geo import Geography
    from monitor.sinks.export import render, take_snapshot
    from monitor.store import Store

    path = _config_path(args)
    # Without a config the export still works; feed health then lists no configured feeds.
    settings = load_settings(path) if args.config or path.exists() else Settings()
    data_dir = _data_dir(args)
    if not data_dir.is_dir():
        raise StoreError(f"no store in {data_dir} (run the monitor first, or choose one with --data-dir)")
    now = utcnow()
    with Store.open(data_dir, retention_days=settings.retention_days) as store:
        snapshot = take_snapshot(store, settings, now=now, since=args.since)
    text = render(snapshot, args.format, Geography.load())
    if args.output is None:
        sys.stdout.write(text)
    else:
        _write_atomically(Path(args.output), text)
    return ExitCode.OK


def _write_atomically(path: Path, text: str) -> None:
    """Write a whole file or nothing: a reader never sees half an export."""
    import os
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise MonitorError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        Path(tmp).replace(path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise MonitorError(f"cannot write {path}: {exc.strerror}") from None


# --- classify and rules ---------------------------------------------------------------------


def _add_classify(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "classify",
        help="classify JSON Lines (or plain titles) from stdin; one JSON line of events per input line",
        description=(
            "Reads JSON Lines on stdin: objects with title and optional summary, id, published, link; "
            "a line that is not JSON is taken as a title. Writes one JSON line per input line, in order."
        ),
    )
    p.add_argument("--rules", type=Path, action="append", default=[], metavar="FILE", help="add a rules file")
    p.set_defaults(handler=_classify)


def _add_rules(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("rules", help="check the rules: run their examples, lint them")
    p.set_defaults(handler=lambda _args: _usage(p))
    rsub = p.add_subparsers(title="rules commands", metavar="COMMAND")
    for name, handler, text in (
        ("test", _rules_test, "run every rule's match / no_match examples"),
        ("lint", _rules_lint, "report unreachable, duplicate or overlapping rules"),
    ):
        r = rsub.add_parser(name, help=text)
        r.add_argument(
            "--rules", type=Path, action="append", default=[], metavar="FILE", help="add a rules file"
        )
        r.set_defaults(handler=handler)


def _rule_files(args: argparse.Namespace) -> list[Path]:
    """Rules files from feeds.yaml (when there is one) followed by those given with --rules."""
    from monitor.config import load_settings

    path = _config_path(args)
    files: list[Path] = []
    if args.config or path.exists():
        settings = load_settings(path)
        files = [settings.resolve(r) for r in settings.rules]
    return files + list(args.rules)


def _classify(args: argparse.Namespace) -> int:
    from monitor.rules import RuleEngine
    from monitor.rules.stream import classify_stream

    engine = RuleEngine.load(_rule_files(args))
    classify_stream(engine, sys.stdin, sys.stdout)
    return ExitCode.OK


def _rules_test(args: argparse.Namespace) -> int:
    from monitor.rules.loader import load_rules
    from monitor.rules.validate import run_examples

    rules = load_rules(_rule_files(args))
    checked, failures = run_examples(rules)
    for failure in failures:
        print(failure)
    print(f"{len(rules)} rules, {checked} examples, {len(failures)} failed", file=sys.stderr)
    return ExitCode.FAILED if failures else ExitCode.OK


def _rules_lint(args: argparse.Namespace) -> int:
    from monitor.rules.loader import load_rules
    from monitor.rules.validate import lint

    rules = load_rules(_rule_files(args))
    findings = lint(rules)
    for finding in findings:
        print(finding)
    print(f"{len(rules)} rules, {len(findings)} findings", file=sys.stderr)
    return ExitCode.FAILED if findings else ExitCode.OK


COMMANDS: list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = [
    _add_feeds,
    _add_export,
    _add_classify,
    _add_rules,
]


# --- main -----------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = args.handler
    if handler is None:
        parser.print_help(sys.stderr)
        return ExitCode.USAGE
    try:
        return int(handler(args))
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return ExitCode.USAGE
    except StoreError as exc:
        print(f"situation-room: {exc}", file=sys.stderr)
        return ExitCode.STORE
    except MonitorError as exc:
        print(f"situation-room: {exc}", file=sys.stderr)
        return ExitCode.FAILED
    except KeyboardInterrupt:
        return ExitCode.OK
    except BrokenPipeError:
        _silence_broken_pipe()
        return ExitCode.OK


def _silence_broken_pipe() -> None:
    """After a reader closes our stdout (| head), keep Python from complaining at exit."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())
