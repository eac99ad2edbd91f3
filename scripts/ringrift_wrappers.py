#!/usr/bin/env python3
"""Run the wrapper-verification pytest plugin on a RingRift ``ai-service/`` tree.

Usage: ringrift_wrappers.py [TREE] [--python PYTHON] [--today YYYY-MM-DD] [--json]

TREE defaults to $RINGRIFT_AI_SERVICE; when neither is given or the folder is absent the
script prints a "skipped: ..." line and exits 0. The built-in default registry is used.
pytest runs in an empty temporary folder (so the tree's own tests and conftest.py are not
collected); the wrappers are imported from TREE, by PYTHON when given (an interpreter
with some of the project's dependencies), else by this interpreter. Nothing is installed
and nothing is written inside TREE (``python -B``: no bytecode).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List

import pytest


class Recorder:
    """Collects one outcome per item (call phase, or the phase that skipped/failed)."""

    def __init__(self) -> None:
        self.items: Dict[str, Dict[str, Any]] = {}

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.when != "call" and report.passed:
            return
        if report.nodeid in self.items and report.when == "teardown":
            return
        if report.skipped and isinstance(report.longrepr, tuple):
            text = report.longrepr[2]
        else:
            text = report.longreprtext
        self.items[report.nodeid] = {"outcome": report.outcome, "text": text}


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", nargs="?", default=os.environ.get("RINGRIFT_AI_SERVICE"))
    parser.add_argument("--python", help="interpreter the wrappers are imported with")
    parser.add_argument("--today", help="date compared with removal deadlines (default: today)")
    parser.add_argument("--json", action="store_true", help="print every item's outcome as JSON")
    args = parser.parse_args(argv)
    if not args.tree or not Path(args.tree, "app").is_dir():
        print(f"skipped: no RingRift ai-service tree (got {args.tree!r}; pass it or set RINGRIFT_AI_SERVICE)")
        return 0
    tree = Path(args.tree).resolve()
    recorder = Recorder()
    with tempfile.TemporaryDirectory(prefix="ringrift-wrappers-") as folder:
        lines = ["[pytest]", "coordination_wrappers = true", f"coordination_pythonpath = {tree}",
                 f"coordination_paths = {tree}", "coordination_timeout = 120"]
        if args.python:
            lines.append(f"coordination_python = {args.python}")
        if args.today:
            lines.append(f"coordination_today = {args.today}")
        Path(folder, "pytest.ini").write_text("\n".join(lines) + "\n", encoding="utf-8")
        started = time.perf_counter()
        code = pytest.main([folder, "-q", "-p", "no:cacheprovider", "--rootdir", folder,
                            "-c", str(Path(folder, "pytest.ini")), "--tb=no", "-o", "console_output_style=classic"],
                           plugins=[recorder])
        elapsed = time.perf_counter() - started
    if args.json:
        json.dump(recorder.items, sys.stdout, indent=2)
        sys.stdout.write("\n")
    summarize(recorder.items, elapsed, int(code))
    return 0


def summarize(items: Dict[str, Dict[str, Any]], elapsed: float, code: int) -> None:
    counts = Counter(item["outcome"] for item in items.values())
    print(f"\n{len(items)} items: {counts['passed']} passed, {counts['failed']} failed, "
          f"{counts['skipped']} skipped in {elapsed:.1f} s (pytest exit {code})")
    by_kind: Dict[str, Counter] = {}
    for nodeid, item in items.items():
        kind = nodeid.rsplit("::", 1)[1].split("[")[0]
        by_kind.setdefault(kind, Counter())[item["outcome"]] += 1
    for kind, outcome in sorted(by_kind.items()):
        print(f"  {kind:8} " + ", ".join(f"{n} {what}" for what, n in sorted(outcome.items())))
    reasons = Counter(item["text"].removeprefix("Skipped: ").split(": ", 1)[-1]
                      for item in items.values() if item["outcome"] == "skipped")
    if reasons:
        print("why items were skipped:")
        for reason, count in reasons.most_common():
            print(f"  {count:3} x {reason}")
    importers = {}
    for nodeid, item in items.items():
        if nodeid.endswith("::removal") and item["outcome"] == "failed":
            found = re.search(r"(\d+) remaining importers?", item["text"])
            importers[nodeid.split("::")[1]] = int(found.group(1)) if found else 0
    if importers:
        print(f"past removal: {len(importers)} wrappers, {sum(importers.values())} importer findings left:")
        for module, count in sorted(importers.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"  {count:4}  {module}")
    print("per item:")
    for nodeid, item in sorted(items.items()):
        head = item["text"].strip().splitlines()[0] if item["outcome"] == "failed" and item["text"].strip() else ""
        print(f"  {item['outcome']:7} {nodeid.split('::', 1)[1]}{'  -- ' + head if head else ''}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
