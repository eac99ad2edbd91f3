#!/usr/bin/env python3
"""The progress report, discover and the burndown history on a RingRift ``ai-service`` tree.

Usage: ``scripts/ringrift_report.py [TREE] [MIRROR] [OUT]`` (or ``RINGRIFT_AI_SERVICE=TREE``,
``RINGRIFT_MIRROR=MIRROR``). TREE is a checked-out ``ai-service`` folder, MIRROR a (bare) git
repository of RingRift whose ``ai-service/`` folder is walked for the history. When TREE
is absent the script prints ``skipped: ...`` and exits 0; without MIRROR only the history
is skipped. Nothing is written into the tree: the report, discover output, history table
and chart go to OUT (default: a temporary folder, printed at the end).

Prints the headline numbers: module count, usages per deprecated module, zero-importer
wrappers, facade bypasses, discover hits, and the history's length, time and cache use
for the commits touching ``ai-service/app/coordination`` between 2025-12-20 and 2026-01-31.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import List, Tuple

CLI = [sys.executable, "-m", "flake8_coordination"]
TODAY = "2026-01-15"
SINCE, UNTIL = "2025-12-20", "2026-01-31"
DEFAULT_MIRROR = "/work/.mirror/synaptent+RingRift/repo"


def run(args: List[str]) -> Tuple[int, str, str, float, float]:
    """Exit code, stdout, stderr, wall seconds and CPU seconds (children included)."""
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run(CLI + args, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return done.returncode, done.stdout, done.stderr, wall, cpu


def walk_history(mirror: Path, tree: Path, out: Path) -> Tuple[dict, float, float]:
    """One walk, written as history.json, history.md and burndown.svg (in-process API)."""
    import datetime

    from flake8_coordination import chart
    from flake8_coordination import history as hist
    from flake8_coordination.config import load_settings

    settings = load_settings(None, tree)
    today = datetime.date.fromisoformat(TODAY)
    before = os.times()
    start = time.perf_counter()
    repo = hist.open_repository(mirror, "ai-service")
    with hist.HistoryWalker(repo, settings, today, jobs=min(4, os.cpu_count() or 1)) as walker:
        commits = walker.commits("HEAD", since=SINCE, until=UNTIL, touching="app/coordination")
        points = [walker.point(commit) for commit in commits]
        stats = walker.stats
    elapsed = time.perf_counter() - start
    after = os.times()
    cpu = sum(after[:4]) - sum(before[:4])
    target = settings.registry.target_module_count
    (out / "history.md").write_text(hist.to_markdown(points, repo, stats, elapsed, target))
    (out / "burndown.svg").write_text(chart.burndown_svg(points, "app.coordination: consolidation burndown", target))
    data = hist.to_json(points, repo, stats, elapsed)
    (out / "history.json").write_text(json.dumps(data, indent=2) + "\n")
    return data, elapsed, cpu


def main(argv: List[str]) -> int:
    tree = Path(argv[1] if len(argv) > 1 else os.environ.get("RINGRIFT_AI_SERVICE", "/work/ringrift/ai-service"))
    mirror = Path(argv[2] if len(argv) > 2 else os.environ.get("RINGRIFT_MIRROR", DEFAULT_MIRROR))
    if not (tree / "app" / "coordination").is_dir():
        print(f"skipped: no RingRift ai-service tree at {tree}")
        return 0
    out = Path(argv[3]) if len(argv) > 3 else Path(tempfile.mkdtemp(prefix="ringrift-report-"))
    out.mkdir(parents=True, exist_ok=True)

    code, text, err, wall, cpu = run(["report", str(tree), "--today", TODAY, "--format", "json"])
    if code != 0:
        print(err, file=sys.stderr)
        return code
    (out / "report.json").write_text(text)
    run(["report", str(tree), "--today", TODAY, "--output", str(out / "report.md")])
    data = json.loads(text)
    count = data["module_count"]
    print(f"report: {data['files_checked']} files in {wall:.1f} s ({cpu:.1f} s CPU)")
    print(f"  modules in {data['package_path']}: {count['modules']} (all .py files {count['files']}, "
          f"__init__.py {count['init_files']}, deprecated {count['deprecated_files']}); "
          f"target {data['target_module_count']}")
    print(f"  deprecated usages: {data['deprecated_usages']}")
    for entry in data["deprecated"]:
        if entry["usages"] or entry["path"]:
            areas = ", ".join(f"{area} {len(items)}" for area, items in entry["importers"].items() if items)
            files = len({u["path"] for items in entry["importers"].values() for u in items})
            print(f"    {entry['module']}: {entry['usages']} usages in {files} files"
                  + (f" ({areas})" if areas else "") + (" -- ready to delete" if entry["ready_to_delete"] else ""))
    print(f"  ready to delete: {len(data['ready_to_delete'])}: {', '.join(data['ready_to_delete']) or '-'}")
    print(f"  past removal date on {TODAY}: {len(data['past_removal'])}")
    for facade in data["facades"]:
        print(f"  bypasses of {facade['facade']}: {facade['bypasses']}")

    code, text, err, wall, cpu = run(["discover", str(tree), "--format", "json"])
    (out / "discover.json").write_text(text)
    run(["discover", str(tree), "--output", str(out / "discover.toml")])
    hits = json.loads(text)
    registered = sum(1 for hit in hits if hit["registered"])
    print(f"discover: {len(hits)} wrappers in {wall:.1f} s ({registered} already in the registry, "
          f"{sum(1 for h in hits if h['replacement'])} with a replacement inferred, "
          f"{sum(1 for h in hits if h['advisory'])} advisory)")

    if not (mirror / "objects").is_dir() and not (mirror / ".git").is_dir():
        print(f"history skipped: no RingRift git mirror at {mirror}")
        print(f"output: {out}")
        return 0
    history, elapsed, cpu = walk_history(mirror, tree, out)
    commits = history["commits"]
    stats = history["stats"]
    print(f"history: {len(commits)} commits touching ai-service/app/coordination, {SINCE} to {UNTIL}, "
          f"in {elapsed:.1f} s ({cpu:.1f} s CPU in this process and its workers, "
          f"{elapsed / max(1, len(commits)) * 1000:.0f} ms per commit)")
    print(f"  {stats['trees_read']} trees and {stats['blobs_read']} blobs read, {stats['blobs_parsed']} parsed; "
          f"{stats['blob_hits']} file and {stats['tree_hits']} folder results reused")
    if commits:
        first, last = commits[0], commits[-1]
        print(f"  usages {first['usages']} -> {last['usages']}, bypasses {first['bypasses']} -> "
              f"{last['bypasses']}, modules {first['modules']} -> {last['modules']}")
    print(f"output: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
