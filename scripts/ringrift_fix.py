"""Run the fixer over a copy of a RingRift ``ai-service/`` tree with the built-in default registry.

Usage: python scripts/ringrift_fix.py [PATH_TO_AI_SERVICE]   (or RINGRIFT_AI_SERVICE=...)
Copies the tree's Python and documentation files to a temporary folder (the original is never
touched), fixes the copy, and prints: rewrites and refusals by kind and main reason, whether
every file still parses and compiles, whether a second run changes anything, the findings
``check`` reports before and after, the time taken, and (phase 2) documentation still showing
deprecated imports. Exits 0 with a "skipped" line when the tree is absent.
"""
from __future__ import annotations

import collections
import datetime
import os
import py_compile
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from flake8_coordination.cli.fix import fix_file, iter_targets, source_tree, write_atomically
from flake8_coordination.config import load_settings
from flake8_coordination.engine import check_paths

KEEP = (".py", ".pyi", ".md", ".rst", ".txt", ".toml", ".cfg")


def _ignore(folder: str, names: list) -> list:
    return [n for n in names if not os.path.isdir(os.path.join(folder, n)) and not n.endswith(KEEP)]


def _reason(text: str) -> str:
    """Group refusal reasons: names and modules replaced by placeholders."""
    text = re.sub(r"'[^']*'", "'...'", text)
    text = re.sub(r"\b[a-z_]+(\.[A-Za-z_0-9]+)+\b", "MODULE", text)
    text = re.sub(r"(define or re-export|define) [A-Za-z_0-9]+", r"\1 NAME", text)
    text = re.sub(r" \(.*\)$", "", text)
    text = re.sub(r"line \d+", "line N", text)
    return text


def _run(copy: Path, settings, today, docs: bool):
    tree = source_tree(settings, [str(copy)])
    results = [fix_file(p, settings, today, (), tree, docs) for p in iter_targets([str(copy)], [], docs)]
    for result in results:
        if result.changed:
            write_atomically(result.path, result.source, result.text)
    return results


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("RINGRIFT_AI_SERVICE", "../ringrift/ai-service"))
    if not (root / "app" / "coordination").is_dir():
        print(f"skipped: no RingRift ai-service tree at {root}")
        return 0
    today = datetime.date.today()
    with tempfile.TemporaryDirectory(prefix="ringrift-fix-") as temporary:
        copy = Path(temporary) / "ai-service"
        shutil.copytree(root, copy, ignore=_ignore, symlinks=True)
        settings = load_settings(None, copy)
        print(f"tree: {root} (copied to a temporary folder); registry: {settings.registry.source}; today: {today}")
        python = sorted(str(p) for p in copy.rglob("*.py"))
        parsed_before = {p for p in python if _compiles(p)}
        before = check_paths([str(copy)], settings, today)
        started = time.perf_counter()
        results = _run(copy, settings, today, docs=False)
        elapsed = time.perf_counter() - started
        changes = [(r.path, o) for r in results for o in r.changes]
        refusals = [(r.path, o) for r in results for o in r.refusals]
        print(f"python files: {len(python)}; files changed: {sum(r.changed for r in results)}; "
              f"unreadable/unparsable (skipped): {sum(1 for r in results if r.error)}; time: {elapsed:.2f}s")
        print(f"rewrites: {len(changes)} by kind {dict(collections.Counter(c.kind for _, c in changes))} "
              f"by code {dict(sorted(collections.Counter(c.code for _, c in changes).items()))}")
        print(f"refused: {len(refusals)} by kind {dict(collections.Counter(r.kind for _, r in refusals))}")
        for reason, count in collections.Counter(_reason(r.reason) for _, r in refusals).most_common(8):
            print(f"  {count:4d}  {reason}")
        broken = [p for p in parsed_before if not _compiles(p)]
        print(f"py_compile: {len(parsed_before)} of {len(python)} files compiled before; "
              f"{len(parsed_before) - len(broken)} compile after; broken by the fix: {len(broken)} {broken[:5]}")
        after = check_paths([str(copy)], settings, today)
        count = lambda run: collections.Counter(f.code for _, f in run.findings)  # noqa: E731
        print(f"check findings before: {dict(sorted(count(before).items()))}; after: {dict(sorted(count(after).items()))}")
        second = _run(copy, settings, today, docs=False)
        print(f"second run: files changed {sum(r.changed for r in second)}, "
              f"rewrites {sum(len(r.changes) for r in second)}")
        _docs(copy, settings, today)
    return 0


def _docs(copy: Path, settings, today) -> None:
    try:
        from flake8_coordination.docs_scan import scan_docs
    except ImportError:  # pragma: no cover
        return
    started = time.perf_counter()
    report = scan_docs([str(copy)], settings, today)
    elapsed = time.perf_counter() - started
    files = sorted({b.path for b in report})
    kinds = collections.Counter(b.kind for b in report)
    examples = [b for b in report if b.migration_example]
    print(f"docs still showing deprecated imports: {len(files)} files, {len(report)} blocks {dict(kinds)}, "
          f"{sum(len(b.findings) for b in report)} findings; {len(examples)} blocks are migration examples "
          f"in {len({b.path for b in examples})} files ({elapsed:.2f}s)")
    started = time.perf_counter()
    results = _run(copy, settings, today, docs=True)
    elapsed = time.perf_counter() - started
    docs = [r for r in results if not r.path.endswith(".py") or any(c.kind.startswith("doc") for c in r.changes)]
    changes = [c for r in docs for c in r.changes if c.kind.startswith("doc")]
    refusals = [o for r in docs for o in r.refusals if o.kind.startswith("doc")]
    print(f"fix --docs: files changed {sum(r.changed for r in docs)}, rewrites {len(changes)}, refused {len(refusals)} "
          f"({elapsed:.2f}s)")
    for reason, count in collections.Counter(_reason(r.reason) for r in refusals).most_common(5):
        print(f"  {count:4d}  {reason}")
    remaining = scan_docs([str(copy)], settings, today)
    print(f"docs after fix --docs: {len({b.path for b in remaining})} files, {len(remaining)} blocks")
    again = _run(copy, settings, today, docs=True)
    print(f"second fix --docs run: files changed {sum(r.changed for r in again)}")


_PYC = os.path.join(tempfile.mkdtemp(prefix="ringrift-pyc-"), "check.pyc")


def _compiles(path: str) -> bool:
    try:
        py_compile.compile(path, cfile=_PYC, doraise=True)
    except (py_compile.PyCompileError, ValueError, OSError):
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
