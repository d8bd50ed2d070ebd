"""Command-line entry point: parses arguments and hands off; imports heavy parts (the app) lazily."""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from monitor import __version__
from monitor.diagnostics import print_error
from monitor.errors import ConfigError, ExitCode, MonitorError, StoreError
from monitor.text import sanitize_lines

if TYPE_CHECKING:  # the models (pydantic) load only with a command that uses them
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
        type=_factor,
        default=1.0,
        metavar="X",
        help="with --demo: replay X times faster (default: 1)",
    )
    parser.set_defaults(handler=_app)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    # `situation-room export --data-dir D` works as well as `situation-room --data-dir D export`;
    # SUPPRESS keeps a command's unset option from overwriting the one given before the command.
    for command in _commands_below(sub):
        _add_common(command, default=argparse.SUPPRESS)
    return parser


def _commands_below(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
) -> list[argparse.ArgumentParser]:
    """Every command parser below ``sub``, nested ones (``feeds check``) included."""
    found: list[argparse.ArgumentParser] = []
    for command in dict.fromkeys(sub.choices.values()):
        found.append(command)
        for action in command._actions:
            if isinstance(action, argparse._SubParsersAction):
                found += _commands_below(action)
    return found


def _factor(text: str) -> float:
    """A positive, finite number such as "10" or "0.5" (an argparse type: a bad one is exit 2)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive number")
    return value


def _add_common(parser: argparse.ArgumentParser, default: object = None) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        default=default,
        metavar="PATH",
        help="feeds.yaml to use (default: ./feeds.yaml if present, else the user config dir)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=default,
        metavar="DIR",
        help="where the store lives (default: $SITUATION_ROOM_DATA, else the user data dir)",
    )


# --- the app (no command) -------------------------------------------------------------------


def _app(args: argparse.Namespace) -> int:
    from monitor.app.launch import Launch, run_app
    from monitor.app.prefs import default_prefs_path

    data_dir = Path(args.data_dir) if args.data_dir else (None if args.demo else _data_dir(args))
    launch = Launch(
        _config_path(args), data_dir, demo=args.demo, speed=args.speed, prefs=default_prefs_path()
    )
    return run_app(launch)


# --- feeds ----------------------------------------------------------------------------------


def _add_feeds(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    feeds = sub.add_parser("feeds", help="check, import and export the feed list")
    feeds.set_defaults(handler=lambda _args: _usage(feeds))
    fsub = feeds.add_subparsers(title="feeds commands", metavar="ACTION")
    check = fsub.add_parser("check", help="validate feeds.yaml and list the feeds")
    check.add_argument(
        "--probe",
        action="store_true",
        help="also fetch each enabled feed once and say whether it answers with a feed (1 if one does not)",
    )
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
    add = fsub.add_parser(
        "add",
        help="add one feed to feeds.yaml (its name taken from the feed's own title)",
        description=(
            "Fetch URL once, read the feed's title for its name (unless --name is given) and append "
            "the feed to feeds.yaml, keeping every comment and line already there."
        ),
    )
    add.add_argument("url", metavar="URL", help="http(s) URL of an RSS or Atom feed")
    add.add_argument("--name", metavar="NAME", help="the name to show (default: the feed's title)")
    add.add_argument("--tier", choices=TIERS, default="outlet", help="(default: outlet)")
    add.set_defaults(handler=_feeds_add)


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
    if not getattr(args, "probe", False):
        return ExitCode.OK
    from monitor.ingest.probe import run_probe

    sys.stdout.flush()
    report, all_ok = run_probe(settings)
    sys.stdout.write("\n" + report)
    return ExitCode.OK if all_ok else ExitCode.FAILED


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
    counts = import_opml(args.opml, path, tier=args.tier)
    rejected = f"; {counts.rejected} rejected (named above)" if counts.rejected else ""
    print_error(f"added {counts.added} feed(s) to {path}; {counts.present} already present{rejected}")
    return ExitCode.OK


def _feeds_add(args: argparse.Namespace) -> int:
    from monitor.feeds_add import add_feed

    path = _config_path(args)
    name = add_feed(args.url, path, name=args.name, tier=args.tier)
    print(f"added {name!r} to {path}", file=sys.stderr)
    return ExitCode.OK


def _feeds_export(args: argparse.Namespace) -> int:
    from monitor.config import load_settings
    from monitor.opml import export_opml

    _write_utf8(export_opml(load_settings(_config_path(args))))
    return ExitCode.OK


# --- init ---------------------------------------------------------------------------------


def _add_init(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "init",
        help="write the shipped, commented feeds.yaml where situation-room looks for it",
        description=(
            "Write the sample feeds.yaml that ships with situation-room (every key documented in its "
            "header) to --config PATH, else to the user config directory, and say where. An existing "
            "file is never overwritten."
        ),
    )
    p.set_defaults(handler=_init)


def _init(args: argparse.Namespace) -> int:
    from monitor.config import init_config, user_config_path

    path = Path(args.config) if args.config else user_config_path()
    init_config(path)
    print(f"wrote {path}; edit it, check it with `situation-room feeds check`", file=sys.stderr)
    if not args.config and (Path.cwd() / "feeds.yaml").exists():
        print(f"note: ./feeds.yaml is used instead while you run from {Path.cwd()}", file=sys.stderr)
    return ExitCode.OK


# --- export ---------------------------------------------------------------------------------


def _add_export(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    exp = sub.add_parser(
        "export",
        help="write incidents, the boards and feed health as md, jsonl, csv or geojson",
        description=(
            "Read the store and write a Markdown sitrep, JSON lines, CSV (incidents) or GeoJSON. "
            "The store is read without its lock and nothing in it is changed, so export runs while "
            "the app or watch writes to the same data directory (from cron, say); it shows the last "
            "poll cycle committed when it starts. Exit code 3 when there is no store."
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


def _write_utf8(text: str) -> None:
    """Machine-readable output (exports, OPML, which declare UTF-8) is UTF-8 whatever the locale."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def _export(args: argparse.Namespace) -> int:
    from monitor.config import Settings, load_settings
    from monitor.files import write_atomically
    from monitor.models import utcnow
    from monitor.picture.geo import Geography
    from monitor.sinks.export import render, take_snapshot
    from monitor.store import StoreReader

    path = _config_path(args)
    # Without a config the export still works; feed health then lists no configured feeds.
    settings = load_settings(path) if args.config or path.exists() else Settings()
    now = utcnow()
    # No lock: a running monitor keeps writing; the reader shows its last committed cycle.
    store = StoreReader.open(_data_dir(args), retention_days=settings.retention_days, now=lambda: now)
    snapshot = take_snapshot(store, settings, now=now, since=args.since)
    text = render(snapshot, args.format, Geography.load())
    if args.output is None:
        _write_utf8(text)
    else:
        write_atomically(Path(args.output), text)
    return ExitCode.OK


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
    p.add_argument(
        "--rules-only",
        action="store_true",
        help="leave out the statistical reading (events whose rule id starts with ngram.)",
    )
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
    t = rsub.add_parser(
        "train",
        help="retrain the statistical reading from labeled JSON Lines (needs scikit-learn)",
        description=(
            "Trains the n-gram model the rules consult where no rule matched, from JSON Lines units "
            "with text, ceasefire_violation and force_deployment (true/false), and writes it where the "
            "package reads it (or to --out). Example: situation-room rules train "
            "tests/data/real/tune.jsonl ../shared/eval/dev.jsonl"
        ),
    )
    t.add_argument("data", type=Path, nargs="+", metavar="FILE", help="labeled JSON Lines")
    t.add_argument("--out", type=Path, default=None, help="where to write the model (default: the package's)")
    t.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength (default 1.0)")
    t.add_argument("--min-df", type=int, default=3, help="least units a feature must occur in (default 3)")
    t.set_defaults(handler=_rules_train)


def _rules_train(args: argparse.Namespace) -> int:
    from monitor.rules.ngram import MODEL_PATH, NgramModel
    from monitor.rules.ngram_train import TrainError, train, write

    out = args.out or MODEL_PATH
    try:
        model = train(list(args.data), c=args.c, min_df=args.min_df)
        write(model, out)
    except TrainError as exc:
        print(f"situation-room rules train: {exc}", file=sys.stderr)
        return ExitCode.FAILED
    meta = NgramModel.read(out).meta
    print(
        f"trained on {meta['units']} units ({meta['positives']}); "
        f"{len(model['features'])} features; wrote {out}",  # type: ignore[arg-type]
        file=sys.stderr,
    )
    return ExitCode.OK


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

    engine = RuleEngine.load(_rule_files(args), statistical=not args.rules_only)
    # JSON Lines are UTF-8 whatever the locale says; a byte that is not UTF-8 cannot stop the stream.
    lines = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", errors="replace", newline="\n")
    try:
        classify_stream(engine, lines, out)
    finally:
        out.detach()  # leave sys.stdout's buffer open for the interpreter's own exit
    return ExitCode.OK


def _rules_test(args: argparse.Namespace) -> int:
    from monitor.rules.loader import load_rules
    from monitor.rules.validate import run_examples

    rules = load_rules(_rule_files(args))
    checked, failures = run_examples(rules)
    for failure in failures:
        print(sanitize_lines(str(failure)))
    print(f"{len(rules)} rules, {checked} examples, {len(failures)} failed", file=sys.stderr)
    return ExitCode.FAILED if failures else ExitCode.OK


def _rules_lint(args: argparse.Namespace) -> int:
    from monitor.rules.loader import load_rules
    from monitor.rules.validate import lint

    rules = load_rules(_rule_files(args))
    findings = lint(rules)
    for finding in findings:
        print(sanitize_lines(str(finding)))
    print(f"{len(rules)} rules, {len(findings)} findings", file=sys.stderr)
    return ExitCode.FAILED if findings else ExitCode.OK


# --- watch ----------------------------------------------------------------------------------

_SEVERITIES = ("low", "medium", "high", "critical")
_SECONDS_UNITS = {"s": 1, "m": 60, "h": 3600}


def _seconds(text: str) -> float:
    """Seconds from "90", "0.5", "90s", "5m" or "1h" (an argparse type)."""
    value = text.strip().lower()
    scale = _SECONDS_UNITS.get(value[-1:])
    number = value[:-1] if scale is not None else value
    try:
        seconds = float(number) * (scale or 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds (e.g. 90, 90s, 5m)") from None
    if not seconds > 0 or seconds == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} must be more than zero")
    return seconds


def _add_watch(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    watch = sub.add_parser(
        "watch",
        help="headless: poll the feeds and write one alert per line to stdout",
        description=(
            "Run the pipeline with no UI and write each alert once, as a JSON line (the default when "
            "stdout is not a terminal) or as text. Alerts not yet written when the run ends are written "
            "by the next run."
        ),
        epilog=(
            "--exec must come last: every word after it is the command and its arguments, run without a "
            "shell once per alert with the alert's JSON on stdin. Exit codes: 0 ok, 1 feeds failed "
            "(--once --fail-on-feed-errors), 2 usage or config error, 3 data directory locked or unusable."
        ),
    )
    watch.add_argument("--format", choices=("jsonl", "text"), dest="fmt", help="output format")
    watch.add_argument("--once", action="store_true", help="run one poll cycle and exit (for cron)")
    watch.add_argument(
        "--interval",
        type=_seconds,
        metavar="SECONDS",
        help="poll every feed this often (overrides feeds.yaml)",
    )
    watch.add_argument(
        "--demo",
        action="store_true",
        help="run on the built-in demo scenario (in a temporary store unless --data-dir is given)",
    )
    watch.add_argument(
        "--speed",
        type=_factor,
        default=1.0,
        metavar="FACTOR",
        help="with --demo: replay this many times faster (default: 1)",
    )
    watch.add_argument(
        "--since",
        type=_duration,
        metavar="AGE",
        help="on a first run (empty store), alert only on items newer than this (default: 24h)",
    )
    watch.add_argument(
        "--catchup",
        action="store_true",
        help="mark everything current (and anything left pending) as seen without writing it",
    )
    watch.add_argument(
        "--category",
        action="append",
        default=[],
        metavar="NAME",
        help="only these categories (repeat or comma-separate)",
    )
    watch.add_argument("--min-severity", choices=_SEVERITIES, help="only alerts at least this severe")
    watch.add_argument(
        "--zone",
        action="append",
        default=[],
        metavar="ZONE",
        help="only alerts naming this zone or a zone inside it (any gazetteer spelling)",
    )
    watch.add_argument(
        "--country", action="append", default=[], metavar="COUNTRY", help="only alerts naming this country"
    )
    watch.add_argument(
        "--fail-on-feed-errors",
        action="store_true",
        help="with --once: exit 1 when some feeds failed",
    )
    watch.add_argument(
        "--notify",
        action="append",
        default=[],
        metavar="URL",
        help=(
            "send each alert to this Apprise URL (repeatable; needs the notify extra); "
            "?min_severity=, &category=, &zone=, &country= narrow what it gets"
        ),
    )
    watch.add_argument(
        "--exec-timeout",
        type=_seconds,
        default=30.0,
        metavar="SECONDS",
        help="kill an --exec command after this long and retry it later (default: 30)",
    )
    watch.add_argument(
        "--exec",
        nargs=argparse.REMAINDER,
        dest="exec_argv",
        metavar="CMD ARG",
        help="run CMD ARG... per alert, the alert's JSON on stdin (must be the last option)",
    )
    watch.set_defaults(handler=_watch)


def _split(values: Sequence[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _watch(args: argparse.Namespace) -> int:
    from monitor.models import Category, Severity
    from monitor.sinks.alert_filter import AlertFilter
    from monitor.sinks.watch import default_format
    from monitor.sinks.watch_run import DEFAULT_SINCE, WatchOptions, run_watch

    def usage(message: str) -> int:
        print_error(f"situation-room watch: error: {message}")
        return ExitCode.USAGE

    categories: list[Category] = []
    for name in _split(args.category):
        try:
            categories.append(Category(name.lower()))
        except ValueError:
            known = ", ".join(c.value for c in Category)
            return usage(f"unknown category {name!r} (choose from {known})")
    if args.exec_argv is not None and not args.exec_argv:
        return usage("--exec needs a command (it takes the rest of the line: --exec CMD ARG...)")
    if args.exec_argv:
        from monitor.sinks.templates import TemplateError, check_templates

        try:
            check_templates(args.exec_argv)
        except TemplateError as exc:
            return usage(f"--exec: {exc}")
    from monitor.sinks.filter_names import UnknownName, resolve_countries, resolve_zones

    try:
        zones = resolve_zones(_split(args.zone))
        countries = resolve_countries(_split(args.country))
    except UnknownName as exc:
        return usage(f"--{exc.what}: {exc}")
    options = WatchOptions(
        config=_config_path(args),
        data_dir=Path(args.data_dir) if args.data_dir else (None if args.demo else _data_dir(args)),
        fmt=args.fmt or default_format(sys.stdout),
        once=args.once,
        interval=args.interval,
        demo=args.demo,
        demo_speed=args.speed,
        since=args.since or DEFAULT_SINCE,
        catchup=args.catchup,
        alert_filter=AlertFilter.build(
            categories=categories,
            min_severity=Severity(args.min_severity) if args.min_severity else None,
            zones=zones,
            countries=countries,
        ),
        exec_argv=tuple(args.exec_argv or ()),
        notify_urls=tuple(args.notify),
        exec_timeout_s=args.exec_timeout,
        fail_on_feed_errors=args.fail_on_feed_errors,
    )
    return run_watch(options)


COMMANDS: list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = [
    _add_init,
    _add_feeds,
    _add_export,
    _add_classify,
    _add_rules,
    _add_watch,
]


# --- main -----------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    if isinstance(sys.stdout, io.TextIOWrapper):
        # A character the terminal's encoding lacks is shown as '?', never a UnicodeEncodeError.
        sys.stdout.reconfigure(errors="replace")
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = args.handler
    if handler is None:
        parser.print_help(sys.stderr)
        return ExitCode.USAGE
    code = _run(handler, args)
    if argv is None and handler is _watch and args.once:
        _end_once(code)
    return code


def _run(handler: Handler, args: argparse.Namespace) -> int:
    try:
        return int(handler(args))
    except ConfigError as exc:
        print_error(str(exc))
        return ExitCode.USAGE
    except StoreError as exc:
        print_error(f"situation-room: {exc}")
        return ExitCode.STORE
    except MonitorError as exc:
        print_error(f"situation-room: {exc}")
        return ExitCode.FAILED
    except KeyboardInterrupt:
        return ExitCode.OK
    except BrokenPipeError:
        _silence_broken_pipe()
        return ExitCode.OK


def _end_once(code: int) -> None:
    """End a finished ``watch --once`` process without the interpreter's teardown.

    Freeing every module and object one by one takes a cron run of 50 feeds about 25 ms (a tenth of
    it) and writes nothing: the store is closed and synced, every alert written and flushed. The
    exit handlers still run (anyone's: a coverage run, a probe); only when nothing else runs, since
    a thread or a child process still alive gets the usual exit, which waits for it, and so does a
    run under a profiler or tracer (``python -m cProfile -o out -m monitor watch --once`` writes its
    file after ``main`` returns, not in an exit handler).
    """
    import atexit
    import os
    import threading

    if threading.active_count() > 1 or sys.getprofile() is not None or sys.gettrace() is not None:
        return
    mp = sys.modules.get("multiprocessing")
    if mp is not None and mp.active_children():
        return
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            return  # the usual exit reports it as it always did
    os._exit(code)


def _silence_broken_pipe() -> None:
    """After a reader closes our stdout (| head), keep Python from complaining at exit."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())
