"""``flake8-coordination fix PATH...|-``: rewrite deprecated imports in place.

Exit codes: 0 nothing to change, 1 files were (or with ``--check``/``--diff`` would be)
changed, 2 a file could not be read or parsed (it is left untouched).
"""
from __future__ import annotations

import argparse
import datetime
import difflib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, List, Optional, Sequence, Tuple

from flake8_coordination import codes
from flake8_coordination.cli.check import add_common, settings_from, today_from
from flake8_coordination.config import Settings
from flake8_coordination.engine import context_for
from flake8_coordination.exports import SourceTree
from flake8_coordination.files import InputError, SourceFile, decode_source, iter_python_files, read_source, write_atomic
from flake8_coordination.fixer import Change, Outcome, Refusal, fix_source


@dataclass
class FileFix:
    path: str
    source: Optional[SourceFile]
    text: str  # the fixed text (== source.text when nothing changed)
    outcomes: List[Outcome] = field(default_factory=list)
    error: Optional[str] = None

    @property
    def changed(self) -> bool:
        return self.source is not None and self.error is None and self.text != self.source.text

    @property
    def changes(self) -> List[Change]:
        return [o for o in self.outcomes if isinstance(o, Change)] if self.changed else []

    @property
    def refusals(self) -> List[Refusal]:
        return [o for o in self.outcomes if isinstance(o, Refusal) and o.kind not in ("syntax",)]


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("fix", help="rewrite deprecated imports to their replacements")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders; - reads stdin, writes stdout")
    add_common(parser)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--diff", action="store_true", help="print a unified diff instead of writing")
    mode.add_argument("--check", action="store_true", help="write nothing; exit 1 if something would change")
    parser.add_argument("--only", action="append", metavar="CODES", help="fix only these COORD codes")
    parser.add_argument("--skip", action="append", metavar="CODES", help="do not fix these COORD codes")
    parser.add_argument("--docs", action="store_true",
                        help="also rewrite Markdown/reST code blocks, doctests and docstrings")
    parser.add_argument("--stdin-display-name", default="stdin", metavar="NAME")
    parser.add_argument("--exclude", action="append", default=[], metavar="DIR", help="folder names to skip")
    parser.set_defaults(run=run)


def disabled_codes(only: Sequence[str], skip: Sequence[str]) -> Tuple[str, ...]:
    from flake8_coordination.config import ConfigError

    for code in (*only, *skip):
        if code not in codes.CODES:
            raise ConfigError("--only/--skip", "", codes.not_a_code(code))
    disabled = set(skip)
    if only:
        disabled.update(code for code in codes.CODES if code not in only)
    return tuple(sorted(disabled))


def source_tree(settings: Settings, paths: Iterable[str]) -> SourceTree:
    """Where destination modules are looked up: src roots, the project root, the paths given."""
    tree = settings.source_tree()
    for path in paths:
        if path == "-":
            tree.add_root(Path.cwd())  # stdin has no folder of its own: the project is where we run
        elif os.path.isdir(path):
            tree.add_root(Path(path))
    return tree


def fix_text(text: str, path: str, settings: Settings, today: datetime.date, disabled: Sequence[str],
             tree: SourceTree) -> Tuple[str, List[Outcome]]:
    context = context_for(path, settings, today, disabled)
    return fix_source(text, context, tree.for_file(path))


def fix_file(path: str, settings: Settings, today: datetime.date, disabled: Sequence[str], tree: SourceTree,
             docs: bool = False) -> FileFix:
    try:
        source = read_source(path)
    except InputError as exc:
        return FileFix(path, None, "", error=str(exc))
    if path.endswith((".py", ".pyi")):
        text, outcomes = fix_text(source.text, path, settings, today, disabled, tree)
        if docs and not _syntax(outcomes):
            text, more = _fix_docs(text, path, settings, today, disabled, tree)
            outcomes += more
    else:
        text, outcomes = _fix_docs(source.text, path, settings, today, disabled, tree)
    error = _syntax(outcomes)
    return FileFix(path, source, text, outcomes, f"{path}:{error.line}:{error.col + 1}: {error.reason}; file skipped" if error else None)


def _fix_docs(text: str, path: str, settings: Settings, today: datetime.date, disabled: Sequence[str],
              tree: SourceTree) -> Tuple[str, List[Outcome]]:
    from flake8_coordination.docs_fixer import fix_document

    return fix_document(text, path, context_for(path if path.endswith(".py") else "-", settings, today, disabled), tree)


def _syntax(outcomes: Sequence[Outcome]) -> Optional[Refusal]:
    return next((o for o in outcomes if isinstance(o, Refusal) and o.kind == "syntax"), None)


def write_atomically(path: str, source: SourceFile, text: str) -> None:
    """Replace *path* with *text* in the file's own encoding (BOM included), never half-written."""
    write_atomic(path, text.encode(source.encoding))


DOC_SUFFIXES = (".md", ".markdown", ".rst")


def iter_targets(paths: Sequence[str], exclude: Sequence[str], docs: bool) -> List[str]:
    found = list(iter_python_files(paths, exclude))
    if docs:
        from flake8_coordination.docs_scan import iter_doc_files

        found += list(iter_doc_files(paths, exclude))
    return list(dict.fromkeys(found))  # a file named on the command line is found by both


def run(args: argparse.Namespace) -> int:
    from flake8_coordination.cli import split_codes

    settings = settings_from(args, args.paths)
    today = today_from(args)
    disabled = disabled_codes(split_codes(args.only), split_codes(args.skip))
    tree = source_tree(settings, args.paths)
    if args.paths == ["-"]:
        name = args.stdin_display_name
        source = decode_source(sys.stdin.buffer.read(), name)
        if name.endswith(DOC_SUFFIXES):
            text, outcomes = _fix_docs(source.text, name, settings, today, disabled, tree)
        else:
            text, outcomes = fix_text(source.text, name, settings, today, disabled, tree)
            if args.docs and not _syntax(outcomes):
                text, more = _fix_docs(text, name, settings, today, disabled, tree)
                outcomes += more
        error = _syntax(outcomes)
        result = FileFix(name, source, text, outcomes,
                         f"{name}:{error.line}:{error.col + 1}: {error.reason}; file skipped" if error else None)
        results = [result]
        if not args.diff and not args.check:
            sys.stdout.buffer.write(result.text.encode(source.encoding) if result.error is None else source.text.encode(source.encoding))
            sys.stdout.flush()
    else:
        results = [fix_file(path, settings, today, disabled, tree, args.docs)
                   for path in iter_targets(args.paths, args.exclude, args.docs)]
    return report(results, args, stdin=args.paths == ["-"])


def _rewrites(result: "FileFix") -> str:
    count = len(result.changes)
    return f"{count} rewrite" if count == 1 else f"{count} rewrites"


def report(results: Sequence[FileFix], args: argparse.Namespace, stdin: bool = False) -> int:
    changed = errors = 0
    for result in results:
        if result.error:
            errors += 1
            print(f"flake8-coordination: error: {result.error}", file=sys.stderr)
            continue
        for refusal in result.refusals:
            code = f"{refusal.code} " if refusal.code else ""
            print(f"{result.path}:{refusal.line}:{refusal.col + 1}: {code}not fixed: {refusal.reason}", file=sys.stderr)
        if not result.changed:
            continue
        changed += 1
        assert result.source is not None
        if args.diff:
            sys.stdout.writelines(difflib.unified_diff(
                result.source.text.splitlines(keepends=True), result.text.splitlines(keepends=True),
                fromfile=result.path, tofile=result.path,
            ))
        elif args.check:
            print(f"would fix {result.path} ({_rewrites(result)})", file=sys.stderr)
        elif not stdin:
            try:
                write_atomically(result.path, result.source, result.text)
            except (OSError, UnicodeEncodeError) as exc:
                errors += 1
                print(f"flake8-coordination: error: {result.path}: cannot be written ({exc}); left unchanged", file=sys.stderr)
                continue
            print(f"fixed {result.path} ({_rewrites(result)})", file=sys.stderr)
    if errors:
        return 2
    return 1 if changed else 0
