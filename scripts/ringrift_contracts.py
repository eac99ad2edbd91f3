#!/usr/bin/env python3
"""Run the generated import-linter contracts on a RingRift ``ai-service`` tree.

Usage: ``scripts/ringrift_contracts.py [TREE]`` (or ``RINGRIFT_AI_SERVICE=TREE``). The tree
must hold the ``app`` package; when it is absent the script prints ``skipped: ...`` and
exits 0. Nothing is written into the tree: the contracts files and baselines go to a
temporary folder and lint-imports runs with ``--no-cache``.

Reports, for the contracts using this package's contract types and for the same rules
stated with import-linter's built-in types only: which contracts break and how many
imports each grandfathers (``contracts --baseline``), the median of three lint-imports
wall times, that the baselined files pass, and the size of the COORD ratchet baseline.
"""
from __future__ import annotations

import configparser
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Tuple

BIN = Path(sys.executable).parent
LINT_IMPORTS = str(BIN / "lint-imports")
CLI = str(BIN / "flake8-coordination")
RUNS = 3
TODAY = "2026-01-15"  # before the Q2 2026 removal date, so findings read COORD001/002/004/005


def run(args: List[str], cwd: Path) -> Tuple[int, str, float]:
    env = dict(os.environ, COLUMNS="250")
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr, time.perf_counter() - start


def statuses(output: str) -> Dict[str, str]:
    return {m.group(1): m.group(2) for m in _STATUS.finditer(output)}


_STATUS = re.compile(r"^(.+?) (KEPT|BROKEN)(?: \(\d+ ignored imports?\))?(?: \[([\d.]+)s\])?$", re.MULTILINE)


def check_seconds(output: str) -> float:
    """Total of the per-contract check times printed by ``--show-timings``."""
    return sum(float(m.group(3)) for m in _STATUS.finditer(output) if m.group(3))


def ignore_counts(path: Path) -> Dict[str, int]:
    parser = configparser.RawConfigParser()
    parser.read(path, encoding="utf-8")
    counts = {}
    for section in parser.sections():
        if section.startswith("importlinter:contract:"):
            raw = parser.get(section, "ignore_imports", fallback="")
            counts[parser.get(section, "name")] = len([line for line in raw.splitlines() if line.strip()])
    return counts


def main(argv: List[str]) -> int:
    tree = Path(argv[0] if argv else os.environ.get("RINGRIFT_AI_SERVICE", "/work/ringrift/ai-service"))
    if not (tree / "app" / "__init__.py").is_file():
        print(f"skipped: no RingRift ai-service tree with an app package at {tree}")
        return 0
    tree = tree.resolve()
    scratch = Path(tempfile.mkdtemp(prefix="ringrift-contracts-"))
    print(f"# import-linter contracts on {tree}\n")
    for types in ("coordination", "builtin"):
        plain, grandfathered = scratch / f"{types}.ini", scratch / f"{types}-baseline.ini"
        code, out, _ = run([CLI, "contracts", "--types", types, "--output", str(plain)], tree)
        if code:
            print(out)
            return 1
        code, out, seconds = run([CLI, "contracts", "--types", types, "--baseline", "--output", str(grandfathered)], tree)
        if code:
            print(out)
            return 1
        times, output = [], ""
        for _ in range(RUNS):
            code, output, seconds_lint = run([LINT_IMPORTS, "--no-cache", "--no-logo", str(plain)], tree)
            times.append(seconds_lint)
        found = statuses(output)
        _, timed, _ = run([LINT_IMPORTS, "--no-cache", "--no-logo", "--show-timings", str(plain)], tree)
        counts = ignore_counts(grandfathered)
        print(f"## --types {types}: {len(found)} contracts, {sum(1 for s in found.values() if s == 'BROKEN')} broken")
        print(f"lint-imports median of {RUNS}: {statistics.median(times):.2f}s "
              f"(runs: {', '.join(f'{t:.2f}' for t in times)}); the contract checks themselves: "
              f"{check_seconds(timed) * 1000:.0f}ms (--show-timings); contracts --baseline took {seconds:.2f}s\n")
        print("| contract | result | grandfathered imports |")
        print("|---|---|---|")
        for name, status in found.items():
            print(f"| {name} | {status} | {counts.get(name, 0)} |")
        code_b, out_b, _ = run([LINT_IMPORTS, "--no-cache", "--no-logo", str(grandfathered)], tree)
        kept = statuses(out_b)
        print(f"\nwith the baseline: lint-imports exit {code_b}, "
              f"{sum(1 for s in kept.values() if s == 'KEPT')}/{len(kept)} kept, "
              f"{sum(counts.values())} ignore_imports in total\n")
    baseline = scratch / "coord-baseline.json"
    code, out, seconds = run([CLI, "ratchet", "app", "--today", TODAY, "--baseline", str(baseline), "--update"], tree)
    print(f"## ratchet (COORD findings, --today {TODAY})\n{out.strip()} in {seconds:.2f}s")
    code, out, seconds = run([CLI, "ratchet", "app", "--today", TODAY, "--baseline", str(baseline)], tree)
    print(f"re-check: exit {code} in {seconds:.2f}s: {out.strip().splitlines()[-1] if out.strip() else ''}")
    print(f"\n(files kept in {scratch})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
