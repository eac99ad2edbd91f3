"""The ratchet: today's COORD findings are grandfathered in a baseline file, new ones fail,
and an entry that no longer occurs fails too until it is removed -- the list only shrinks.

An entry is keyed by path, code, module and the stripped text of the offending line, plus
an occurrence index among identical keys -- never by line number, so moving code up or
down a file keeps the baseline valid.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Sequence, Set, Tuple

from flake8_coordination.checker import Finding
from flake8_coordination import files
from flake8_coordination.files import InputError

VERSION = 1
DEFAULT_BASELINE = ".coordination-baseline.json"
_FIELDS = ("path", "code", "module", "text", "occurrence")


@dataclass(frozen=True, order=True)
class Entry:
    path: str  # posix, relative to the baseline file's folder
    code: str
    module: str
    text: str  # the offending line, stripped
    occurrence: int = 0  # index among entries with the same path, code, module and text

    def describe(self) -> str:
        nth = f" (occurrence {self.occurrence + 1})" if self.occurrence else ""
        return f"{self.path}: {self.code} {self.module}: {self.text}{nth}"


@dataclass(frozen=True)
class Current:
    """A finding of this run with its baseline key."""

    path: str  # as given on the command line
    finding: Finding
    entry: Entry


def key_path(path: str, base: Path) -> str:
    return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(base))).as_posix()


def entries_for(findings: Sequence[Tuple[str, Finding]], lines_of, base: Path) -> List[Current]:
    """Key every finding. *lines_of(path)* returns the file's lines (read once per file)."""
    counts: Dict[Tuple[str, str, str, str], int] = {}
    keyed: List[Current] = []
    ordered = sorted(findings, key=lambda item: (item[0], item[1].line, item[1].col, item[1].code))
    for path, finding in ordered:
        lines = lines_of(path)
        text = lines[finding.line - 1].strip() if 0 < finding.line <= len(lines) else ""
        rel = key_path(path, base)
        group = (rel, finding.code, finding.module, text)
        occurrence = counts.get(group, 0)
        counts[group] = occurrence + 1
        keyed.append(Current(path, finding, Entry(rel, finding.code, finding.module, text, occurrence)))
    return keyed


@dataclass(frozen=True)
class Verdict:
    new: Tuple[Current, ...]
    gone: Tuple[Entry, ...]
    kept: int

    @property
    def ok(self) -> bool:
        return not self.new and not self.gone


def compare(current: Iterable[Current], baseline: Set[Entry]) -> Verdict:
    current = list(current)
    seen = {item.entry for item in current}
    new = tuple(item for item in current if item.entry not in baseline)
    gone = tuple(sorted(baseline - seen))
    return Verdict(new, gone, len(seen & baseline))


# -- the file --------------------------------------------------------------------------
def dumps(entries: Iterable[Entry]) -> str:
    items = [{name: getattr(entry, name) for name in _FIELDS} for entry in sorted(set(entries))]
    document = {"version": VERSION, "generated-by": "flake8-coordination ratchet --update", "findings": items}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def loads(text: str, where: str) -> Set[Entry]:
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise InputError(f"{where}: not a baseline file (invalid JSON: {exc})") from None
    if not isinstance(document, dict) or document.get("version") != VERSION or not isinstance(document.get("findings"), list):
        raise InputError(f"{where}: not a version {VERSION} baseline file (expected {{\"version\": 1, \"findings\": [...]}})")
    entries: Set[Entry] = set()
    for index, item in enumerate(document["findings"]):
        if not isinstance(item, dict) or set(item) != set(_FIELDS):
            raise InputError(f"{where}: findings[{index}]: expected the keys {', '.join(_FIELDS)}")
        if not all(isinstance(item[name], str) for name in _FIELDS[:4]) or not isinstance(item["occurrence"], int) \
                or isinstance(item["occurrence"], bool) or item["occurrence"] < 0:
            raise InputError(f"{where}: findings[{index}]: path, code, module and text must be strings, "
                             "occurrence a non-negative integer")
        entries.add(Entry(**item))
    return entries


def load(path: Path) -> Set[Entry]:
    """The baseline at *path*; an absent file is an empty baseline."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return set()
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a baseline file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: is not UTF-8 (byte {exc.start})") from None
    return loads(text, str(path))


def write_atomic(path: Path, text: str) -> None:
    """Write *text* to *path* atomically (see :func:`flake8_coordination.files.write_atomic`)."""
    files.write_atomic(path, text)
