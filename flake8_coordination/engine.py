"""Checking files on disk with one registry: the engine behind every command."""
from __future__ import annotations

import datetime
import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, List, Optional, Sequence, Tuple

from flake8_coordination.checker import Context, Finding, check_source
from flake8_coordination.config import Settings
from flake8_coordination.files import InputError, iter_python_files, read_source
from flake8_coordination.modules import is_package_file, module_name, package_of
from flake8_coordination.noqa import NoqaLines


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
    """The checker's context for the file at *path* (``stdin`` and the like: no module)."""
    roots = tuple((settings.root or Path.cwd()) / src for src in settings.src)
    module = module_name(path, roots)
    sources = settings.source_tree().for_file(path)
    return Context(
        registry=settings.registry,
        module=module,
        package=package_of(module, is_package_file(path)),
        today=today,
        skip_type_checking=settings.type_checking == "ignore",
        disabled=frozenset((*settings.disable, *disabled)),
        missing=sources.check_name,
    )


def check_text(text: str, path: str, settings: Settings, today: datetime.date, disabled: Iterable[str] = ()) -> FileResult:
    if not settings.registry.mentions_any(text):
        return FileResult(path)  # most files: no need to work out their module name
    try:
        findings = check_source(text, context_for(path, settings, today, disabled), path)
    except SyntaxError as exc:
        return FileResult(path, error=f"{path}:{exc.lineno or 0}:{(exc.offset or 1)}: syntax error: {exc.msg}")
    except (ValueError, RecursionError, MemoryError) as exc:
        return FileResult(path, error=f"{path}: cannot be parsed ({type(exc).__name__}: {exc})")
    if findings and "noqa" in text.lower():
        noqa = NoqaLines(text)
        findings = [f for f in findings if not noqa.suppresses(f.line, f.code)]
    return FileResult(path, tuple(findings))


def check_file(path: str, settings: Settings, today: datetime.date, disabled: Iterable[str] = ()) -> FileResult:
    try:
        source = read_source(path)
    except InputError as exc:
        return FileResult(path, error=str(exc))
    return check_text(source.text, path, settings, today, disabled)


#: below this many files one process is quicker than starting others
PARALLEL_MIN_FILES = 256


def check_paths(paths: Sequence[str], settings: Settings, today: datetime.date,
                disabled: Iterable[str] = (), exclude: Iterable[str] = (), jobs: Optional[int] = None) -> Run:
    """Check every Python file under *paths*, in order.

    Big trees are spread over *jobs* processes (default: one per CPU, when the platform
    forks and there are at least ``PARALLEL_MIN_FILES`` files); results keep file order.
    """
    disabled = tuple(disabled)
    files = list(iter_python_files(paths, exclude))
    workers = _workers(len(files), jobs)
    if workers > 1:
        import multiprocessing  # a few milliseconds of start-up, for big trees only

        context = multiprocessing.get_context("fork")
        chunk = max(1, len(files) // (workers * 8))
        with context.Pool(workers, _init_worker, (settings, today, disabled)) as pool:
            return Run(pool.map(_check_in_worker, files, chunksize=chunk))
    return Run([check_file(path, settings, today, disabled) for path in files])


def _workers(count: int, jobs: Optional[int]) -> int:
    if jobs is None:
        if count < PARALLEL_MIN_FILES:
            return 1
        jobs = os.cpu_count() or 1
    if jobs <= 1 or not sys.platform.startswith("linux"):  # fork is only safe there
        return 1
    import multiprocessing

    if multiprocessing.current_process().daemon or threading.active_count() > 1:
        return 1  # inside a pool (no children allowed) or a threaded host (fork would copy locks)
    return min(jobs, count)


_WORKER: Optional[Tuple[Settings, datetime.date, Tuple[str, ...]]] = None


def _init_worker(settings: Settings, today: datetime.date, disabled: Tuple[str, ...]) -> None:
    global _WORKER
    _WORKER = (settings, today, disabled)


def _check_in_worker(path: str) -> FileResult:
    assert _WORKER is not None
    settings, today, disabled = _WORKER
    return check_file(path, settings, today, disabled)
