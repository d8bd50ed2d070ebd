"""Build the demo snapshots from seeds/demo/stories.yaml: `python seeds/build.py` (add --check to verify).

Each outlet gets one file per moment something new appears in it, named by that moment's offset in
seconds (seeds/demo/<outlet>/NNNs.xml); every file holds the whole feed as it stood then, newest
first, as a real feed would. seeds/demo/scenario.yaml lists the outlets and their release times for
the demo server. All of it is fictitious demo data (see seeds/README.md).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import yaml

HERE = Path(__file__).resolve().parent
DEMO = HERE / "demo"
MARK = "Fictitious demo data for situation-room. Not real news."


@dataclass(frozen=True)
class Version:
    """One item as it reads from ``release`` seconds on."""

    outlet: str
    id: str
    release: int
    published: datetime
    updated: datetime
    title: str
    summary: str


def load(path: Path) -> tuple[datetime, dict[str, dict[str, Any]], list[Version]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    epoch = datetime.fromisoformat(data["epoch"]).astimezone(UTC)
    versions: list[Version] = []
    for item in data["items"]:
        published = epoch + timedelta(hours=float(item["at"]))
        versions.append(
            Version(
                item["outlet"],
                item["id"],
                int(item["release"]),
                published,
                published,
                item["title"],
                item["summary"],
            )
        )
        if "update" in item:
            upd = item["update"]
            versions.append(
                Version(
                    item["outlet"],
                    item["id"],
                    int(upd["release"]),
                    published,
                    published + timedelta(hours=float(upd.get("after", 1))),
                    upd.get("title", item["title"]),
                    upd["summary"],
                )
            )
    return epoch, data["outlets"], versions


def visible(versions: list[Version], outlet: str, offset: int) -> list[Version]:
    """The outlet's items as they read at ``offset``: the latest released version of each, newest first."""
    latest: dict[str, Version] = {}
    for v in versions:
        mine = v.outlet == outlet and v.release <= offset
        if mine and (v.id not in latest or v.release >= latest[v.id].release):
            latest[v.id] = v
    return sorted(latest.values(), key=lambda v: (v.published, v.id), reverse=True)


def rss(outlet: dict[str, Any], items: list[Version]) -> str:
    site = outlet["site"]
    built = max(v.updated for v in items)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0">',
        "  <channel>",
        f"    <title>{escape(outlet['title'])}</title>",
        f"    <link>{escape(site)}</link>",
        f"    <description>{escape(MARK)}</description>",
        "    <language>en</language>",
        f"    <lastBuildDate>{format_datetime(built, usegmt=True)}</lastBuildDate>",
    ]
    for v in items:
        out += [
            "    <item>",
            f"      <title>{escape(v.title)}</title>",
            f"      <link>{escape(site)}stories/{v.id}</link>",
            f'      <guid isPermaLink="false">{escape(site.split("//")[1].rstrip("/"))}:{v.id}</guid>',
            f"      <pubDate>{format_datetime(v.published, usegmt=True)}</pubDate>",
            "      <category>demo data</category>",
            f"      <description>{escape(v.summary)}</description>",
            "    </item>",
        ]
    out += ["  </channel>", "</rss>", ""]
    return "\n".join(out)


def atom(outlet: dict[str, Any], items: list[Version]) -> str:
    site = outlet["site"]
    host = site.split("//")[1].rstrip("/")
    built = max(v.updated for v in items)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
        f"  <title>{escape(outlet['title'])}</title>",
        f"  <subtitle>{escape(MARK)}</subtitle>",
        f"  <id>tag:{host},2026:feed</id>",
        f'  <link rel="alternate" href={quoteattr(site)}/>',
        f"  <updated>{iso(built)}</updated>",
        "  <author><name>Demo desk (fictitious)</name></author>",
    ]
    for v in items:
        out += [
            "  <entry>",
            f"    <id>tag:{host},2026:{v.id}</id>",
            f"    <title>{escape(v.title)}</title>",
            f'    <link rel="alternate" href={quoteattr(site + "stories/" + v.id)}/>',
            f"    <published>{iso(v.published)}</published>",
            f"    <updated>{iso(v.updated)}</updated>",
            '    <category term="demo-data" label="demo data"/>',
            f"    <summary>{escape(v.summary)}</summary>",
            "  </entry>",
        ]
    out += ["</feed>", ""]
    return "\n".join(out)


def iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build(stories: Path = DEMO / "stories.yaml") -> dict[Path, str]:
    """Every file the scenario consists of, by path, with its text."""
    epoch, outlets, versions = load(stories)
    files: dict[Path, str] = {}
    manifest: dict[str, Any] = {
        "epoch": iso(epoch),
        "duration_s": max(v.release for v in versions),
        "outlets": [],
    }
    for key, outlet in outlets.items():
        offsets = sorted({v.release for v in versions if v.outlet == key})
        render = atom if outlet["format"] == "atom" else rss
        snapshots = []
        for offset in offsets:
            name = f"{key}/{offset:03d}s.xml"
            files[DEMO / name] = render(outlet, visible(versions, key, offset))
            snapshots.append({"at_s": offset, "file": name})
        manifest["outlets"].append(
            {
                "id": key,
                "name": outlet["name"],
                "tier": outlet["tier"],
                "party": outlet.get("party"),
                "format": outlet["format"],
                "snapshots": snapshots,
            }
        )
    header = (
        "# FICTITIOUS DEMO DATA (see seeds/README.md). Generated by `python seeds/build.py` from\n"
        "# stories.yaml: edit that file, not this one.\n"
        "# epoch: story time the demo server maps to the moment the demo starts (dates are shifted).\n"
        "# outlets[].snapshots: at_s = seconds into the replay when that file becomes the live feed.\n"
    )
    files[DEMO / "scenario.yaml"] = header + yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="only report files that differ from stories.yaml"
    )
    args = parser.parse_args(argv)
    files = build()
    stale = [p for p, text in files.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    known = set(files)
    extra = [p for p in DEMO.glob("*/*.xml") if p not in known]
    if args.check:
        for path in stale + extra:
            print(f"out of date: {path.relative_to(HERE)}", file=sys.stderr)
        return 1 if stale or extra else 0
    for path in extra:
        path.unlink()
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(files[path], encoding="utf-8")
    print(f"{len(stale)} written, {len(extra)} removed, {len(files)} files in the scenario")
    return 0


if __name__ == "__main__":
    sys.exit(main())
