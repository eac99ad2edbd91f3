"""Verifying deprecation wrappers: probe one in a fresh interpreter, judge the result.

The probe (:mod:`flake8_coordination._probe`) is the only code in the product that
imports the code it checks; it always runs in a child interpreter started here, and
only when the pytest plugin is switched on. Everything else in this module is pure:
a probe result and a registry entry in, a :class:`Verdict` out, its text written as a
migration guide (what is wrong, where, what to write instead).
"""
from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from flake8_coordination.registry import ModuleDeprecation, NameMove, Registry

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"
MATCH_MODES = ("tail", "full")
MISSING_MODES = ("skip", "fail")
_PROBE_SOURCE: Optional[str] = None
_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ()))  # Python 3.10+; ("winreg", "msvcrt" ...)


@dataclass(frozen=True)
class Verdict:
    outcome: str  # PASSED, FAILED or SKIPPED
    text: str = ""


@dataclass(frozen=True)
class Probe:
    """What the child interpreter saw (the ``_probe`` result, plus how it ended)."""

    module: str
    data: Mapping[str, Any] = field(default_factory=dict)
    crash: Optional[str] = None  # the child died or timed out before writing a result

    @property
    def error(self) -> Optional[Mapping[str, Any]]:
        parent = self.data.get("parent") or {}
        return parent.get("error") or self.data.get("error")

    @property
    def where(self) -> str:
        return self.data.get("file") or self.module


# -- running the probe -----------------------------------------------------------
def probe_source() -> str:
    global _PROBE_SOURCE
    if _PROBE_SOURCE is None:
        _PROBE_SOURCE = Path(__file__).with_name("_probe.py").read_text(encoding="utf-8")
    return _PROBE_SOURCE


def run_probe(entry: ModuleDeprecation, paths: Sequence[str], cwd: str, timeout: float = 60.0,
              python: str = sys.executable) -> Probe:
    """Import *entry*'s module in a fresh ``python -B -W always`` and read what happened."""
    spec = {
        "module": entry.module,
        "paths": [str(path) for path in paths],
        "names": [[move.name, move.new_module, move.new_name] for move in entry.names.values()],
    }
    handle, out_path = tempfile.mkstemp(prefix="coordination-probe-", suffix=".json")
    os.close(handle)
    env = dict(os.environ)
    env.pop("PYTHONWARNINGS", None)
    try:
        try:
            done = subprocess.run(
                [python, "-B", "-W", "always", "-c", probe_source(), json.dumps(spec), out_path],
                cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return Probe(entry.module, crash=f"importing {entry.module} did not finish within {timeout:g} s")
        text = Path(out_path).read_text(encoding="utf-8")
        if not text:
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
            detail = "\n".join(tail) or f"exit status {done.returncode}"
            return Probe(entry.module, crash=f"the interpreter importing {entry.module} died:\n{detail}")
        data = json.loads(text)
        if data.get("file"):
            data["file"] = _relative(data["file"], Path(cwd))
        return Probe(entry.module, data)
    finally:
        os.unlink(out_path)


# -- unimportable modules ----------------------------------------------------------
def _is_project_module(name: str, roots: Sequence[str]) -> bool:
    top = name.partition(".")[0]
    return any(
        (Path(root) / top).is_dir() or (Path(root) / f"{top}.py").is_file() for root in roots
    )


def import_problem(probe: Probe, roots: Sequence[str], missing: str = "skip") -> Optional[Verdict]:
    """None when the wrapper was imported; else a skip or a failure saying why not.

    A ``ModuleNotFoundError`` for a module outside the project (its top-level package
    is in none of *roots*) is a missing third-party dependency: skipped by default,
    failed with ``missing = "fail"``. So is any other error raised by an import during
    which third-party modules were looked for and not found (an optional import caught
    and then used: ``nn = None`` ... ``nn.Module``); the message lists them and quotes
    the error. A missing wrapper is skipped (already removed). Anything else the import
    raised is a failure: the wrapper is broken.
    """
    module = probe.module
    if probe.crash:
        return Verdict(FAILED, f"{module}: cannot be checked\n  {probe.crash}")
    error = probe.error
    if error is None:
        return None
    kind, message, name = error["type"], error["message"], error.get("name")
    at = f" at {_relative(error['where'], Path(roots[0]) if roots else None)}" if error.get("where") else ""
    if kind == "ModuleNotFoundError" and name and (name == module or module.startswith(name + ".")):
        return Verdict(SKIPPED, f"{module}: no such module (already removed? then drop its registry entry)")
    if kind == "ModuleNotFoundError" and name and not _is_project_module(name, roots):
        text = (f"{module}: cannot be imported without the third-party dependency "
                f"{name.partition('.')[0]!r} ({kind}{at}: {message})")
        return Verdict(SKIPPED if missing == "skip" else FAILED, text)
    absent = [name for name in probe.data.get("missing") or ()
              if name not in _STDLIB and not _is_project_module(name, roots)]
    if absent:
        shown = ", ".join(repr(n) for n in absent[:8]) + (f" and {len(absent) - 8} more" if len(absent) > 8 else "")
        text = (f"{module}: cannot be imported without the third-party "
                f"dependenc{'ies' if len(absent) > 1 else 'y'} {shown} "
                f"(missing while importing it, which then raised {kind}{at}: {message})")
        return Verdict(SKIPPED if missing == "skip" else FAILED, text)
    return Verdict(FAILED, "\n".join([
        f"{module}: importing it raises {kind}",
        f"  error:   {message}",
        *([f"  where:   {at[4:]}"] if at else []),
        "  instead: importing a deprecation wrapper must succeed; fix the import above",
    ]))


# -- 1. the warning ------------------------------------------------------------------
def names_module(message: str, module: str, mode: str = "tail") -> bool:
    """Does *message* name *module*?

    ``full``: the whole dotted path. ``tail`` (default): the path or any dotted tail of it,
    down to the leaf (``app.new``, ``new``). Slashes count as dots (``app/new.py`` names
    ``app.new``); a match must not be part of a longer dotted name or identifier.
    """
    parts = module.split(".")
    tails = [module] if mode == "full" else [".".join(parts[i:]) for i in range(len(parts))]
    text = message.replace("/", ".").replace("\\", ".")
    alternatives = "|".join(re.escape(tail) for tail in tails)
    return re.search(rf"(?<![\w.])(?:{alternatives})(?!\w)", text) is not None


def check_warning(entry: ModuleDeprecation, probe: Probe, mode: str = "tail") -> Verdict:
    category = entry.category
    caught = probe.data.get("warnings") or []
    wanted = f"a {category}" + (f" naming {entry.replacement}" if entry.replacement else "")
    example = _warn_example(entry)
    if entry.replacement:
        naming = [w for w in caught if names_module(w["message"], entry.replacement, mode)]
    else:
        naming = list(caught)
    right = [w for w in naming if category in w["mro"]]
    if right:
        return Verdict(PASSED)
    where = probe.where
    how = "getting it from its package" if probe.data.get("via") == "attribute" else "importing it"
    if not caught:
        problem = f"{entry.module}: {how} in a fresh interpreter emits no warning"
    elif naming:
        seen = ", ".join(sorted({w["category"] for w in naming}))
        problem = f"{entry.module}: warns with {seen}, not {category} (the registry's category)"
    else:
        problem = f"{entry.module}: its warnings do not name the replacement {entry.replacement}"
    lines = [problem, f"  where:    {where}", f"  expected: {wanted}"]
    for item in caught[:5]:
        lines.append(f"  saw:      {item['category']}: {item['message']}")
    if len(caught) > 5:
        lines.append(f"            ... and {len(caught) - 5} more")
    lines.append("  instead:  at the top of the wrapper write")
    lines.extend(f"              {line}" for line in example)
    return Verdict(FAILED, "\n".join(lines))


def _warn_example(entry: ModuleDeprecation) -> List[str]:
    use = f"; use {entry.replacement} instead" if entry.replacement else ""
    when = f" and will be removed after {entry.removal.isoformat()}" if entry.removal else ""
    return [
        "import warnings",
        f'warnings.warn("{entry.module} is deprecated{when}{use}",',
        f"              {entry.category}, stacklevel=2)",
    ]


# -- 2. moved names -----------------------------------------------------------------
def check_name(move: NameMove, probe: Probe) -> Verdict:
    """The new name exists; the wrapper still offers the old one, as the same object.

    ``manual`` moves (no drop-in replacement) only need the new name to exist; adapter
    moves need the old name in the wrapper but not the same object.
    """
    result = probe.data.get("names", {}).get(move.name)
    if result is None:
        return Verdict(FAILED, f"{move.module}.{move.name}: was not checked (the wrapper was not imported)")
    old_ref, new_ref = f"{move.module}:{move.name}", f"{move.new_module}:{move.new_name}"
    error = result.get("error")
    if error is not None:
        return Verdict(FAILED, "\n".join([
            f"{new_ref}: the new location cannot be imported ({error['type']}: {error['message']})",
            f"  where:   {move.new_module}",
            f"  instead: fix {move.new_module}, or point the registry's {old_ref} at where {move.new_name} lives now",
        ]))
    if result.get("new") is None:
        return Verdict(FAILED, "\n".join([
            f"{new_ref}: {move.new_module} has no {move.new_name}",
            f"  where:   {move.new_module} (the registry says {old_ref} moved there)",
            f"  instead: define or re-export {move.new_name} in {move.new_module}, "
            f"or correct the registry entry for {move.name}",
        ]))
    if move.manual:
        return Verdict(PASSED)
    if result.get("old") is None:
        return Verdict(FAILED, "\n".join([
            f"{old_ref}: the wrapper lost {move.name}; 'from {move.module} import {move.name}' fails",
            f"  where:   {probe.where}",
            f"  instead: keep it importable until removal: 'from {move.new_module} import {move.new_name} as {move.name}'"
            if move.name != move.new_name else
            f"  instead: keep it importable until removal: 'from {move.new_module} import {move.new_name}'",
        ]))
    if move.adapter or result.get("same"):
        return Verdict(PASSED)
    alias = f" as {move.name}" if move.name != move.new_name else ""
    return Verdict(FAILED, "\n".join([
        f"{old_ref}: the wrapper's {move.name} is not {new_ref}",
        f"  where:   {probe.where}",
        f"  wrapper: {result['old']}",
        f"  new:     {result['new']}",
        f"  instead: re-export the very object: 'from {move.new_module} import {move.new_name}{alias}' "
        f"(or mark the name 'adapter = true' in the registry if the difference is intended)",
    ]))


# -- 3. removal ------------------------------------------------------------------------
def check_removal(entry: ModuleDeprecation, today: datetime.date, importers: Sequence[str],
                  limit: int = 50) -> Verdict:
    """Past its removal date a wrapper fails, listing who still imports it."""
    if not entry.is_past_removal(today):
        return Verdict(PASSED)
    assert entry.removal is not None
    lines = [
        f"{entry.module}: remove this wrapper (removal was due {entry.removal.isoformat()}, "
        f"today is {today.isoformat()})",
    ]
    if importers:
        lines.append(f"  {len(importers)} remaining importer{'s' if len(importers) != 1 else ''} "
                     "to migrate first:")
        lines.extend(f"    {item}" for item in importers[:limit])
        if len(importers) > limit:
            lines.append(f"    ... and {len(importers) - limit} more")
        if entry.replacement:
            lines.append(f"  instead: import from '{entry.replacement}' there (flake8-coordination fix rewrites the "
                         "safe ones), then delete the wrapper and its registry entry")
        else:
            lines.append("  instead: remove those uses (the module has no replacement), then delete the wrapper "
                         "and its registry entry")
    else:
        lines.append("  no importers remain: delete the wrapper module and its registry entry")
    return Verdict(FAILED, "\n".join(lines))


def importers_by_entry(results: Sequence[Any], registry: Registry, root: Optional[Path] = None
                       ) -> Dict[str, List[str]]:
    """``path:line:col: CODE message`` of every finding on a deprecated module, per entry.

    *results* are the engine's :class:`FileResult` records (``check_paths(...).results``).
    """
    found: Dict[str, List[Tuple[str, int, int, str]]] = {}
    for result in results:
        path = _relative(result.path, root)
        for finding in result.findings:
            if finding.code == "COORD004":
                continue
            entry = registry.deprecation_for(finding.module)
            if entry is not None:
                found.setdefault(entry.module, []).append((path, finding.line, finding.col + 1, finding.text))
    return {
        module: [f"{path}:{line}:{col}: {text}" for path, line, col, text in sorted(items)]
        for module, items in found.items()
    }


def _relative(path: str, root: Optional[Path]) -> str:
    if root is None:
        return path
    if not os.path.isabs(path):
        return path
    try:
        relative = os.path.relpath(path, root)
    except ValueError:
        return path
    return path if relative.startswith("..") else relative
