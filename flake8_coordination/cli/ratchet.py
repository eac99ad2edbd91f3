"""``flake8-coordination ratchet PATH... [--baseline PATH] [--update]``."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Dict, List

from flake8_coordination import ratchet
from flake8_coordination.cli.check import add_common, settings_from, today_from
from flake8_coordination.engine import check_paths
from flake8_coordination.files import InputError, read_source
from flake8_coordination.output import FORMATS, write_findings


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "ratchet",
        help="fail on COORD findings not in the baseline, and on baseline entries that are gone",
        description="Grandfather today's COORD findings: new findings fail, and so does a baseline entry "
                    "that no longer occurs (remove it with --update), so the baseline only shrinks.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to check")
    parser.add_argument("--baseline", default=ratchet.DEFAULT_BASELINE, metavar="PATH",
                        help=f"baseline file (default: {ratchet.DEFAULT_BASELINE})")
    parser.add_argument("--update", action="store_true", help="rewrite the baseline with today's findings")
    parser.add_argument("--exclude", action="append", default=[], metavar="DIR", help="folder names to skip")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="how new findings are written; with json/sarif/github the rest goes to stderr")
    add_common(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args, args.paths)
    today = today_from(args)
    baseline_path = Path(args.baseline)
    recorded = ratchet.load(baseline_path)
    outcome = check_paths(args.paths, settings, today, (), args.exclude)
    if outcome.errors:
        for message in outcome.errors:
            print(f"flake8-coordination: error: {message}", file=sys.stderr)
        return 2
    current = ratchet.entries_for(outcome.findings, _lines_reader(), baseline_path.parent)
    verdict = ratchet.compare(current, recorded)
    if args.update:
        ratchet.write_atomic(baseline_path, ratchet.dumps(item.entry for item in current))
        if not recorded:
            print(f"{baseline_path}: {len(current)} finding(s) recorded (was 0)")
            return 0
        # say what moved, so a grandfathered new finding shows up in review
        for item in verdict.new:
            print(f"{baseline_path}: recorded a new finding: {item.path}:{item.finding.line}: {item.finding.text}")
        for entry in verdict.gone:
            print(f"{baseline_path}: dropped a fixed finding: {entry.describe()}")
        print(f"{baseline_path}: {len(current)} finding(s) recorded (was {len(recorded)}: "
              f"{len(verdict.new)} new, {len(verdict.gone)} fixed)")
        return 0
    report = sys.stdout if args.format == "text" else sys.stderr
    if args.format != "text":
        write_findings([(item.path, item.finding) for item in verdict.new], args.format, sys.stdout)
    else:
        for item in verdict.new:
            finding = item.finding
            print(f"{item.path}:{finding.line}:{finding.col + 1}: {finding.text} (new: not in {baseline_path})")
    for entry in verdict.gone:
        print(f"{baseline_path}: fixed, remove from the baseline: {entry.describe()}", file=report)
    if verdict.ok:
        print(f"{baseline_path}: {verdict.kept} grandfathered finding(s), no new ones", file=report)
        return 0
    hint = []
    if verdict.new:
        hint.append(f"{len(verdict.new)} new finding(s): fix them")
    if verdict.gone:
        count = len(verdict.gone)
        hint.append(f"{count} baseline {'entry no longer occurs' if count == 1 else 'entries no longer occur'}: "
                    "run 'flake8-coordination ratchet --update' to shrink the baseline")
    print("; ".join(hint), file=sys.stderr)
    return 1


def _lines_reader():
    cache: Dict[str, List[str]] = {}

    def lines_of(path: str) -> List[str]:
        if path not in cache:
            try:
                cache[path] = read_source(path).text.splitlines()
            except InputError:  # pragma: no cover - the engine read it a moment ago
                cache[path] = []
        return cache[path]

    return lines_of
