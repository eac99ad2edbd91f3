"""Checking files on disk with one registry: the engine behind every command."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, List, Optional, Sequence, Tuple

from flake8_coordination.checker import Context, Finding, check_source
from flake8_coordination.config import Settings
from flake8_coordination.files import InputError, iter_python_files, read_source
from flake8_coordination.modules import is_package_file, module_name, package_of


@dataclass(frozen=True)
class FileResult:
    path: str
    findings: Tuple[Finding, ...] = ()
    error: Optional[str] = None  # located message when the file could not be checked


@dataclass
class Run:
    results: List[FileResult] = field(default_factory=list)

    @property
    def findings(self) -> List[Tuple[str, Finding]]:
        return [(r.path, f) for r in self.results for f in r.findings]

    @property
    def errors(self) -> List[str]:
        return [r.error for r in self.results if r.error]


def context_for(path: str, settings: Settings, today: datetime.date, disabled: Iterable[str] = ()) -> Context:
    roots = tuple((settings.root or Path.cwd()) / src for src in settings.src)
    module = module_name(path, roots)
    return Context(
        registry=settings.registry,
        module=module,
        package=package_of(module, is_package_file(path)),
        today=today,
        skip_type_checking=settings.type_checking == "ignore",
        disabled=frozenset((*settings.disable, *disabled)),
    )


def check_text(text: str, path: str, settings: Settings, today: datetime.date, disabled: Iterable[str] = ()) -> FileResult:
    try:
        findings = check_source(text, context_for(path, settings, today, disabled), path)
    except SyntaxError as exc:
        return FileResult(path, error=f"{path}:{exc.lineno or 0}:{(exc.offset or 1)}: syntax error: {exc.msg}")
    except (ValueError, RecursionError, MemoryError) as exc:
        return FileResult(path, error=f"{path}: cannot be parsed ({type(exc).__name__}: {exc})")
    return FileResult(path, tuple(findings))


def check_file(path: str, settings: Settings, today: datetime.date, disabled: Iterable[str] = ()) -> FileResult:
    try:
        source = read_source(path)
    except InputError as exc:
        return FileResult(path, error=str(exc))
    return check_text(source.text, path, settings, today, disabled)


def check_paths(paths: Sequence[str], settings: Settings, today: datetime.date,
                disabled: Iterable[str] = (), exclude: Iterable[str] = ()) -> Run:
    disabled = tuple(disabled)
    run = Run()
    for path in iter_python_files(paths, exclude):
        run.results.append(check_file(path, settings, today, disabled))
    return run
