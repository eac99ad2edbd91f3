"""pytest plugin: prove the registry's deprecation wrappers work (off until asked for).

Switch on with ``pytest --coordination-wrappers`` or ``coordination_wrappers = true`` in
the pytest ini. Each registry entry becomes a collector with up to three kinds of items:

* ``warns`` -- importing the module in a fresh interpreter emits the entry's warning
  category, naming the replacement;
* ``name[Old]`` -- each moved name exists at its new location, and the wrapper's old
  name is that very object (unless the move is ``manual`` or an ``adapter``);
* ``removal`` -- past the removal date, fails with "remove this wrapper" and the
  importers the engine still finds.

This is the one place where flake8-coordination imports the code it checks, and it
does so only in child interpreters (see :mod:`flake8_coordination.wrappers`).
"""
from __future__ import annotations

import datetime
import os
import shutil
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence

import pytest

from flake8_coordination.config import ConfigError, Settings, load_settings, parse_date
from flake8_coordination.engine import check_paths
from flake8_coordination.files import InputError
from flake8_coordination.registry import ModuleDeprecation, NameMove
from flake8_coordination.wrappers import (
    FAILED,
    MATCH_MODES,
    MISSING_MODES,
    PASSED,
    SKIPPED,
    Probe,
    Verdict,
    check_name,
    check_removal,
    check_warning,
    import_problem,
    importers_by_entry,
    run_probe,
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("coordination", "flake8-coordination deprecation wrappers")
    group.addoption("--coordination-wrappers", action="store_true", default=None,
                    help="check every deprecation wrapper in the registry (imports them in child interpreters)")
    group.addoption("--coordination-config", metavar="PATH",
                    help="pyproject.toml or setup.cfg holding the registry (default: the nearest one, else built-in)")
    group.addoption("--coordination-today", metavar="YYYY-MM-DD",
                    help="the date removal deadlines are compared with (default: today)")
    group.addoption("--coordination-python", metavar="PYTHON",
                    help="interpreter the wrappers are imported with (default: the one running pytest)")
    group.addoption("--coordination-pythonpath", action="append", metavar="DIR",
                    help="folder the wrappers are imported from (repeatable; default: the registry's src, else rootdir)")
    parser.addini("coordination_wrappers", "check the registry's deprecation wrappers", type="bool", default=False)
    parser.addini("coordination_config", "registry file (pyproject.toml or setup.cfg)", default="")
    parser.addini("coordination_today", "date compared with removal deadlines (YYYY-MM-DD)", default="")
    parser.addini("coordination_pythonpath", "folders the wrappers are imported from", type="paths", default=[])
    parser.addini("coordination_paths", "files and folders searched for remaining importers (default: the project)",
                  type="paths", default=[])
    parser.addini("coordination_python", "interpreter the wrappers are imported with (default: the one running "
                  "pytest); any Python 3.9+, e.g. the project's own virtualenv", default="")
    parser.addini("coordination_jobs", "wrappers imported at the same time (default 2; 1 = one by one)",
                  default="2")
    parser.addini("coordination_timeout", "seconds one wrapper import may take", default="60")
    parser.addini("coordination_warning_match", "'tail' (default): the warning may name the replacement's "
                  "leaf or any dotted tail; 'full': only its whole dotted path", default="tail")
    parser.addini("coordination_missing_dependency", "'skip' (default) or 'fail' a wrapper that needs an "
                  "uninstalled third-party package", default="skip")


class Options:
    """The plugin's settings, read once per session."""

    def __init__(self, config: pytest.Config) -> None:
        rootdir = Path(str(config.rootpath))
        self.rootdir = rootdir
        path = config.getoption("coordination_config") or config.getini("coordination_config")
        base = Path(config.inipath).parent if config.inipath and not config.getoption("coordination_config") else Path.cwd()
        try:
            self.settings: Settings = load_settings(_absolute(path, base) if path else None, rootdir)
        except ConfigError as exc:
            raise pytest.UsageError(f"flake8-coordination: {exc}") from None
        today = config.getoption("coordination_today") or config.getini("coordination_today")
        try:
            self.today = parse_date(today) if today else datetime.date.today()
        except ValueError as exc:
            raise pytest.UsageError(f"flake8-coordination: --coordination-today: {exc}") from None
        self.root = self.settings.root or rootdir
        given = config.getoption("coordination_pythonpath")
        if given:
            pythonpath = [_absolute(item, Path.cwd()) for item in given]
        else:
            pythonpath = [Path(str(item)) for item in config.getini("coordination_pythonpath")]
        if not pythonpath:
            pythonpath = [self.root / src for src in self.settings.src] or [self.root]
        self.pythonpath = [str(item) for item in pythonpath]
        self.scan = [str(item) for item in config.getini("coordination_paths")] or [str(self.root)]
        python = config.getoption("coordination_python") or config.getini("coordination_python")
        self.python = str(_absolute(python, Path.cwd())) if python and os.sep in python else (python or sys.executable)
        if python and shutil.which(self.python) is None:
            raise pytest.UsageError(f"flake8-coordination: coordination_python: {python!r} is not an executable")
        self.jobs = _choice_int(config.getini("coordination_jobs"), "coordination_jobs")
        self.pool: Optional[ThreadPoolExecutor] = None
        self.timeout = _choice_float(config.getini("coordination_timeout"), "coordination_timeout")
        self.match = _choice(config.getini("coordination_warning_match"), MATCH_MODES, "coordination_warning_match")
        self.missing = _choice(config.getini("coordination_missing_dependency"), MISSING_MODES,
                               "coordination_missing_dependency")
        self._importers: Optional[Dict[str, List[str]]] = None

    def importers(self) -> Dict[str, List[str]]:
        """Remaining importers per entry, found once per session by the engine."""
        if self._importers is None:
            try:
                run = check_paths(self.scan, self.settings, self.today)
            except InputError as exc:
                raise pytest.UsageError(f"flake8-coordination: coordination_paths: {exc}") from None
            self._importers = importers_by_entry(run.results, self.settings.registry, self.rootdir)
        return self._importers


def _absolute(path: str, base: Path) -> Path:
    candidate = Path(os.path.expanduser(path))
    return candidate if candidate.is_absolute() else base / candidate


def _choice(value: str, allowed: Sequence[str], name: str) -> str:
    value = str(value).strip().lower()
    if value not in allowed:
        raise pytest.UsageError(f"flake8-coordination: {name}: must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _choice_int(value: str, name: str) -> int:
    text = str(value).strip()
    if not text.isdigit() or int(text) < 1:
        raise pytest.UsageError(f"flake8-coordination: {name}: must be a whole number of at least 1, not {value!r}")
    return int(text)


def _choice_float(value: str, name: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    if number <= 0:
        raise pytest.UsageError(f"flake8-coordination: {name}: must be a positive number of seconds, not {value!r}")
    return number


def _enabled(config: pytest.Config) -> bool:
    flag = config.getoption("coordination_wrappers")
    return bool(flag) if flag is not None else bool(config.getini("coordination_wrappers"))


_OPTIONS = pytest.StashKey[Options]()


def pytest_configure(config: pytest.Config) -> None:
    if _enabled(config):
        config.stash[_OPTIONS] = Options(config)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Probe the selected entries two at a time (or ``coordination_jobs``) while tests run."""
    options = session.config.stash.get(_OPTIONS, None)
    if options is None or options.jobs < 2 or session.config.option.collectonly \
            or hasattr(session.config, "workerinput"):  # pytest-xdist workers probe lazily
        return
    entries = {item.parent for item in session.items if isinstance(item, WrapperItem)}
    if len(entries) < 2:
        return
    options.pool = ThreadPoolExecutor(max_workers=options.jobs, thread_name_prefix="coordination-probe")
    for entry in sorted(entries, key=lambda node: node.nodeid):
        entry.start(options.pool)  # type: ignore[attr-defined]


def pytest_unconfigure(config: pytest.Config) -> None:
    options = config.stash.get(_OPTIONS, None)
    if options is not None and options.pool is not None:
        options.pool.shutdown(wait=True, cancel_futures=True)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: List[pytest.Item]) -> None:
    """Add the registry's items once per session, before ``-k`` / ``-m`` deselection runs.

    The registry is not a test file (it may be the built-in default, and pyproject.toml
    sits outside ``testpaths``), so it is collected here rather than by
    ``pytest_collect_file``; collection errors still go through pytest's own reporting.
    """
    options = config.stash.get(_OPTIONS, None)
    if options is None:
        return
    label = _label(options)
    top = RegistryCollector.from_parent(session, name=label, nodeid=label, path=_source_path(options))
    top.options = options
    items.extend(session.genitems(top))


def _label(options: Options) -> str:
    source = options.settings.registry.source
    if source == "built-in default":
        return "flake8-coordination-default"
    try:
        return os.path.relpath(source, options.rootdir).replace(os.sep, "/")
    except ValueError:
        return source


def _source_path(options: Options) -> Path:
    source = options.settings.registry.source
    return Path(source) if source != "built-in default" else options.rootdir


class RegistryCollector(pytest.Collector):
    """All entries of one registry."""

    options: Options
    entry_lines: Dict[str, int] = {}

    def collect(self) -> Iterator["EntryCollector"]:
        self.entry_lines = _entry_lines(self.options.settings.registry.source,
                                        self.options.settings.registry.deprecations)
        for module in sorted(self.options.settings.registry.deprecations):
            entry = self.options.settings.registry.deprecations[module]
            node = EntryCollector.from_parent(self, name=module)
            node.entry = entry
            yield node


def _entry_lines(source: str, modules: Any) -> Dict[str, int]:
    """0-based line of each entry's heading in the registry file (for report locations)."""
    try:
        lines = Path(source).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    found: Dict[str, int] = {}
    for module in modules:
        needles = (f'"{module}"', f"'{module}'", f":deprecated:{module}]")
        for number, line in enumerate(lines):
            if any(needle in line for needle in needles):
                found[module] = number
                break
    return found


class EntryCollector(pytest.Collector):
    """One deprecated module: probed once, lazily, in a fresh interpreter."""

    entry: ModuleDeprecation
    _probe: Optional[Probe] = None
    _future: Optional["Future[Probe]"] = None

    @property
    def options(self) -> Options:
        return self.parent.options  # type: ignore[attr-defined,no-any-return]

    def start(self, pool: ThreadPoolExecutor) -> None:
        """Start the probe ahead of time (each one is a child process of its own)."""
        if self._future is None and self._probe is None:
            self._future = pool.submit(self._run)

    def _run(self) -> Probe:
        options = self.options
        return run_probe(self.entry, options.pythonpath, str(options.rootdir), options.timeout, options.python)

    def probe(self) -> Probe:
        if self._probe is None:
            self._probe = self._future.result() if self._future is not None else self._run()
        return self._probe

    def collect(self) -> Iterator["WrapperItem"]:
        yield WarningItem.from_parent(self, name="warns")
        for name in sorted(self.entry.names):
            item = NameItem.from_parent(self, name=f"name[{name}]")
            item.move = self.entry.names[name]
            yield item
        if self.entry.removal is not None:
            yield RemovalItem.from_parent(self, name="removal")


class WrapperProblem(Exception):
    """A failed check; its text is already a migration guide."""


class WrapperItem(pytest.Item):
    @property
    def entry(self) -> ModuleDeprecation:
        return self.parent.entry  # type: ignore[attr-defined,no-any-return]

    def verdict(self) -> Verdict:
        raise NotImplementedError

    def runtest(self) -> None:
        verdict = self.verdict()
        if verdict.outcome == SKIPPED:
            _skip(self, verdict.text)
        if verdict.outcome == FAILED:
            raise WrapperProblem(verdict.text)

    def imported(self) -> Probe:
        """The probe, skipping or failing this item when the wrapper could not be imported."""
        parent: EntryCollector = self.parent  # type: ignore[assignment]
        probe = parent.probe()
        options = parent.options
        problem = import_problem(probe, options.pythonpath, options.missing)
        if problem is not None:
            if problem.outcome == SKIPPED:
                _skip(self, problem.text)
            raise WrapperProblem(problem.text)
        return probe

    def repr_failure(self, excinfo: Any, style: Any = None) -> Any:
        if isinstance(excinfo.value, WrapperProblem):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> Any:
        line = self.parent.parent.entry_lines.get(self.entry.module)  # type: ignore[union-attr,attr-defined]
        return self.path, line, f"{self.entry.module}::{self.name}"


def _skip(item: pytest.Item, reason: str) -> None:
    """Skip, reported at the registry entry when its line is known, not at this line."""
    if item.location[1] is None:
        pytest.skip(reason)
    try:
        exception = pytest.skip.Exception(reason, _use_item_location=True)  # type: ignore[call-arg]
    except TypeError:  # pragma: no cover - pytest without item locations for skips
        pytest.skip(reason)
    raise exception


class WarningItem(WrapperItem):
    def verdict(self) -> Verdict:
        return check_warning(self.entry, self.imported(), self.parent.options.match)  # type: ignore[attr-defined]


class NameItem(WrapperItem):
    move: NameMove

    def verdict(self) -> Verdict:
        return check_name(self.move, self.imported())


class RemovalItem(WrapperItem):
    def verdict(self) -> Verdict:
        options: Options = self.parent.options  # type: ignore[attr-defined]
        if not self.entry.is_past_removal(options.today):
            return Verdict(PASSED)
        return check_removal(self.entry, options.today, options.importers().get(self.entry.module, []))
