"""``flake8-coordination report PATH``: how far the consolidation has come.

``--history [REV_RANGE]`` walks the git history instead (see
:mod:`flake8_coordination.history`) and ``--chart FILE`` draws its burndown as SVG.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from flake8_coordination.cli.check import add_common, settings_from, today_from
from flake8_coordination.config import ConfigError, Settings
from flake8_coordination.engine import context_for
from flake8_coordination.files import SKIP_DIRS, InputError, iter_python_files, read_source
from flake8_coordination.files import write_atomic as write_file
from flake8_coordination.modules import is_package_file
from flake8_coordination.report import (
    DocReference,
    Report,
    Usage,
    analyze_source,
    build_report,
    count_modules,
    package_folder,
    to_json,
    to_markdown,
    unrestricted,
)

FORMATS = ("markdown", "json")


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report", help="progress of the consolidation: module count, remaining importers, burndown",
        description="Progress of the consolidation of the registry's package. PATH is the project "
                    "folder (the one holding the package folder, tests/ and scripts/).",
    )
    parser.add_argument("path", metavar="PATH", help="project folder (or, with --history, a bare git repository)")
    add_common(parser)
    parser.add_argument("--format", choices=FORMATS, default="markdown")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report here instead of stdout")
    history = parser.add_argument_group("history")
    history.add_argument("--history", nargs="?", const="HEAD", metavar="REV_RANGE",
                         help="walk the git history (default HEAD, e.g. v1.0..main) instead of the working tree")
    history.add_argument("--since", metavar="DATE", help="only commits after DATE (as git log --since)")
    history.add_argument("--until", metavar="DATE", help="only commits before DATE (as git log --until)")
    history.add_argument("--path", dest="touching", metavar="DIR",
                         help="only commits touching DIR (relative to PATH), e.g. app/coordination")
    history.add_argument("--prefix", metavar="DIR",
                         help="folder of the project inside the repository (default: PATH's place in its work tree)")
    history.add_argument("--chart", metavar="FILE", help="write the burndown chart as SVG")
    history.add_argument("--first-parent", action="store_true", help="follow only the first parent of merges")
    history.add_argument("--jobs", "-j", type=int, metavar="N",
                         help="worker processes parsing new file versions (default: the CPU count, "
                              "at most 4, for 50 commits or more; else 1)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    root = Path(args.path)
    if not root.exists():
        raise InputError(f"{args.path}: no such file or directory")
    settings = settings_from(args, [args.path])
    today = today_from(args)
    if args.history is None:
        if not root.is_dir():
            raise InputError(f"{args.path}: is not a folder (give the project folder)")
        if args.chart or args.since or args.until or args.touching or args.prefix or args.first_parent or args.jobs:
            raise ConfigError("report", "", "--chart, --since, --until, --path, --prefix, --first-parent and "
                                            "--jobs need --history")
        report = scan_folder(root, settings, today)
        text = to_markdown(report) if args.format == "markdown" else _json_text(to_json(report))
        write_atomic(args.output, text)
        return 0
    return _run_history(args, root, settings, today)


def _run_history(args: argparse.Namespace, root: Path, settings: Settings, today: datetime.date) -> int:
    from flake8_coordination import chart, history

    started = time.perf_counter()
    repo = history.open_repository(root, args.prefix)
    with history.HistoryWalker(repo, settings, today) as walker:
        commits = walker.commits(args.history, since=args.since, until=args.until, touching=args.touching,
                                 first_parent=args.first_parent)
        walker.jobs = max(1, args.jobs) if args.jobs else (min(4, os.cpu_count() or 1) if len(commits) >= 50 else 1)
        rows = [walker.point(commit) for commit in commits]
        stats = walker.stats
    elapsed = time.perf_counter() - started
    if args.chart:
        title = f"{settings.registry.package or 'deprecated usages'}: consolidation burndown"
        write_atomic(args.chart, chart.burndown_svg(rows, title, settings.registry.target_module_count))
    if args.format == "json":
        text = _json_text(history.to_json(rows, repo, stats, elapsed))
    else:
        text = history.to_markdown(rows, repo, stats, elapsed, settings.registry.target_module_count)
    write_atomic(args.output, text)
    return 0


def _json_text(data: Dict[str, Any]) -> str:
    return json.dumps(data, indent=2) + "\n"


def write_atomic(target: Optional[str], text: str) -> None:
    """Write *text* to *target* (stdout when None) without ever leaving half a file."""
    if target is None or target == "-":
        sys.stdout.write(text)
        return
    folder = os.path.dirname(os.path.abspath(target))
    if not os.path.isdir(folder):
        raise InputError(f"{target}: folder {folder} does not exist")
    write_file(target, text)


# -- the working tree ---------------------------------------------------------------
def find_package_folder(root: Path, settings: Settings) -> Optional[Path]:
    """The consolidating package's folder under *root* (or under a configured src root)."""
    package = settings.registry.package
    if not package:
        return None
    relative = package_folder(package)
    bases = [root]
    if settings.root is not None:
        bases += [settings.root / src for src in settings.src]
    for base in bases:
        candidate = base / relative
        if candidate.is_dir():
            return candidate
    return None


def scan_folder(root: Path, settings: Settings, today: datetime.date,
                docs: Optional[Sequence[DocReference]] = None) -> Report:
    registry = settings.registry
    open_registry = unrestricted(registry)
    skip_type_checking = settings.type_checking == "ignore"
    usages: List[Usage] = []
    present: Dict[str, str] = {}
    errors: List[str] = []
    checked = 0
    for path in iter_python_files([str(root)]):
        relative = _relative(path, root)
        context = context_for(path, settings, today)
        if context.module:
            present.setdefault(context.module, relative)
        checked += 1
        try:
            text = read_source(path).text
            usages += analyze_source(text, relative, context.module, is_package_file(path), registry,
                                     open_registry, today, skip_type_checking)
        except InputError as exc:
            errors.append(str(exc))
        except SyntaxError as exc:
            errors.append(f"{relative}:{exc.lineno or 0}:{exc.offset or 1}: syntax error: {exc.msg}")
        except (ValueError, RecursionError, MemoryError) as exc:
            errors.append(f"{relative}: cannot be parsed ({type(exc).__name__})")
    folder = find_package_folder(root, settings)
    count = package_path = None
    if folder is not None:
        package_path = _relative(str(folder), root)
        files = [_relative(p, folder) for p in iter_python_files([str(folder)]) if p.endswith(".py")]
        count = count_modules(files, registry.package or "", registry)
    elif registry.package:
        package_path = package_folder(registry.package)
    if docs is None:
        docs = doc_references(root, settings, today)
    return build_report(registry, usages, present, count, today, root=str(root), package_path=package_path,
                        files_checked=checked, errors=errors, docs=docs)


def doc_references(root: Path, settings: Settings, today: datetime.date) -> Optional[Tuple[DocReference, ...]]:
    """Documentation lines still showing deprecated imports, or None when not scanned.

    The hook is :func:`flake8_coordination.docs_scan.scan_docs` (Markdown/reST code blocks,
    ``>>>`` sessions and docstring examples); blocks that show the old import on purpose
    (migration examples) are left out. Without that module the section is left out.
    """
    try:
        from flake8_coordination import docs_scan
    except ImportError:  # pragma: no cover - the scanner ships with the package
        return None
    found = []
    for block in docs_scan.scan_docs([str(root)], settings, today):
        if block.migration_example:
            continue
        for finding in block.findings:
            found.append(DocReference(_relative(block.path, root), finding.line, finding.module, block.kind))
    return tuple(sorted(set(found), key=lambda ref: (ref.path, ref.line, ref.module)))


def _relative(path: str, root: Path) -> str:
    relative = os.path.relpath(path, root)
    return relative.replace(os.sep, "/")


__all__ = ["scan_folder", "find_package_folder", "write_atomic", "doc_references", "SKIP_DIRS"]
