"""Run the flake8 plugin over a RingRift ``ai-service/`` tree with the built-in default registry.

Usage: python scripts/ringrift_check.py [PATH_TO_AI_SERVICE]   (or RINGRIFT_AI_SERVICE=...)
Prints findings per deprecated/fronted module and code, and the wall time of flake8 with
``--select COORD`` (serial and ``--jobs 2``). Exits 0 with a "skipped" line when the tree is absent.
"""
from __future__ import annotations

import collections
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from flake8_coordination.config import build_settings

BIN = Path(sys.executable).parent
REGISTRY = build_settings({}, "built-in default").registry
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>COORD\d{3}) (?P<message>.*)$")


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("RINGRIFT_AI_SERVICE", "../ringrift/ai-service"))
    if not (root / "app" / "coordination").is_dir():
        print(f"skipped: no RingRift ai-service tree at {root}")
        return 0
    timings = {}
    outputs = {}
    for jobs in ("1", "2"):
        started = time.perf_counter()
        result = subprocess.run(
            [str(BIN / "flake8"), "--isolated", "--select=COORD", f"--jobs={jobs}", "--exit-zero", "."],
            cwd=root, capture_output=True, text=True,
        )
        timings[jobs] = time.perf_counter() - started
        outputs[jobs] = sorted(result.stdout.splitlines())
        if result.stderr.strip():
            print(result.stderr, file=sys.stderr)
    findings = [LINE.match(line) for line in outputs["1"]]
    findings = [m for m in findings if m]
    by_module = collections.Counter()
    for match in findings:
        module = _module(match.group("message"))
        by_module[(module, match.group("code"))] += 1
    by_area = collections.Counter(m.group("path").split("/")[1] for m in findings)
    print(f"tree: {root}")
    print(f"python files: {sum(1 for _ in root.rglob('*.py'))}")
    print(f"findings: {len(findings)}  by code: {dict(sorted(collections.Counter(m.group('code') for m in findings).items()))}")
    print(f"by area: {dict(by_area.most_common())}")
    print("by module and code:")
    for (module, code), count in sorted(by_module.items(), key=lambda item: (-item[1], item[0])):
        print(f"  {count:5d}  {code}  {module}")
    print(f"flake8 --select COORD: {timings['1']:.2f}s serial, {timings['2']:.2f}s with --jobs 2")
    print(f"--jobs 2 gives the same findings: {outputs['1'] == outputs['2']}")
    return 0


def _module(message: str) -> str:
    """The registered module a message is about (a name's module for moved names)."""
    quoted = re.search(r"names deprecated module (\S+?);", message)
    subject = quoted.group(1) if quoted else message.split(" ", 1)[0]
    entry = REGISTRY.deprecation_for(subject)
    if entry is not None:
        return entry.module
    return subject


if __name__ == "__main__":
    raise SystemExit(main())
