"""Which documentation still shows deprecated imports: files, blocks, findings.

``scan_docs(paths, settings, today)`` lists every Markdown/reST code block, ``>>>``
session and Python docstring example whose imports the registry reports as deprecated
(``COORD001``/``002``/``003``/``005``; facade bypasses are left to ``check``). Nothing
is imported or executed. The progress report calls it; ``fix --docs`` rewrites what it can.
"""
from __future__ import annotations

import ast
import datetime
import os
from dataclasses import dataclass, replace
from typing import Iterable, Iterator, List, Sequence, Tuple

from flake8_coordination.checker import Finding
from flake8_coordination.config import Settings
from flake8_coordination.docs_fixer import (
    Block,
    docstrings,
    find_blocks,
    findings_of,
    flavour_of,
    protected_lines,
)
from flake8_coordination.engine import context_for
from flake8_coordination.files import InputError, iter_python_files, read_source, walk

DOC_SUFFIXES = (".md", ".markdown", ".rst")


@dataclass(frozen=True)
class DocBlock:
    """One block of documentation that shows deprecated imports."""

    path: str
    line: int  # first line of the block in the file (1-based)
    kind: str  # "markdown", "rst", "doctest" or "docstring"
    findings: Tuple[Finding, ...]  # lines are lines of the file
    migration_example: bool  # every finding is on a line shown as the old way on purpose


def iter_doc_files(paths: Sequence[str], exclude: Iterable[str] = ()) -> Iterator[str]:
    """Markdown and reStructuredText files under *paths* (files given are always included)."""
    for path in paths:
        if os.path.isdir(path):
            yield from walk(path, DOC_SUFFIXES, exclude)
        elif os.path.isfile(path) and path.lower().endswith(DOC_SUFFIXES):
            yield path


def scan_text(text: str, path: str, settings: Settings, today: datetime.date) -> List[DocBlock]:
    """Blocks of one document (or of one Python file's docstrings) showing deprecated imports."""
    context = context_for(path, settings, today)
    if not settings.registry.mentions_any(text):
        return []
    found: List[DocBlock] = []
    if path.endswith((".py", ".pyi")):
        if context.module and settings.registry.deprecation_for(context.module):
            return []  # a wrapper documents its own migration
        try:
            module = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError):
            return []
        for node in docstrings(module):
            if not settings.registry.mentions_any(node.value):
                continue
            base = node.lineno - 1  # the value's first line is the line of the opening quotes
            for block in find_blocks(node.value, "docstring"):
                item = _item(path, block, context, base, "docstring")
                if item:
                    found.append(item)
        return found
    for block in find_blocks(text, flavour_of(path)):
        item = _item(path, block, context, 0, block.kind)
        if item:
            found.append(item)
    return found


def _item(path: str, block: Block, context, base: int, kind: str):
    findings = findings_of(block, context)
    if not findings:
        return None
    protected = {row.index + 1 for n, row in enumerate(r for r in block.rows if r.code is not None) if n in set(protected_lines(block))}
    shifted = tuple(replace(f, line=f.line + base) for f in findings)
    example = all(f.line in protected for f in findings)
    return DocBlock(path, block.line + base, kind, shifted, example)


def scan_docs(paths: Sequence[str], settings: Settings, today: datetime.date,
              exclude: Iterable[str] = (), docstrings: bool = True) -> List[DocBlock]:
    """Every documentation block under *paths* still showing deprecated imports.

    Markdown/reST files, plus the docstrings of Python files when *docstrings* is true.
    Unreadable files are skipped (``check`` reports them).
    """
    exclude = tuple(exclude)
    targets = list(iter_doc_files(paths, exclude))
    if docstrings:
        targets += list(iter_python_files(paths, exclude))
    found: List[DocBlock] = []
    for path in targets:
        try:
            source = read_source(path)
        except InputError:
            continue
        found.extend(scan_text(source.text, path, settings, today))
    return found
