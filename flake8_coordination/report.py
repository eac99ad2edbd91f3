"""The consolidation progress report: pure data in, a report structure out.

Nothing here touches the file system or git. Adapters (``cli/report.py`` for a folder,
:mod:`flake8_coordination.history` for git blobs) hand in source texts; this module

* turns one source text into :class:`Usage` records (:func:`analyze_source`), using the
  same checker as the flake8 plugin;
* counts the modules of the consolidating package from a list of file paths
  (:func:`count_modules`);
* builds a :class:`Report` (:func:`build_report`) and renders it as Markdown or JSON.

Documentation references (files that still show deprecated imports) are an optional
input: :func:`build_report` takes ``docs`` as a sequence of :class:`DocReference`;
``None`` means "not scanned" and leaves the section out.
"""
from __future__ import annotations

import ast
import datetime
import posixpath
from dataclasses import dataclass, replace
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from flake8_coordination import codes
from flake8_coordination.checker import Context, check_tree
from flake8_coordination.modules import package_of
from flake8_coordination.registry import Registry

#: codes that count as a remaining use of a deprecated module
DEPRECATED_CODES = frozenset({codes.COORD001, codes.COORD002, codes.COORD003, codes.COORD005})
AREAS = ("tests", "scripts", "other")


@dataclass(frozen=True)
class Usage:
    """One place a file refers to a deprecated module or bypasses a facade."""

    path: str  # relative to the scanned root, with "/" separators
    line: int
    col: int  # 0-based
    code: str
    module: str  # the deprecated module (registry key) or the fronted module bypassed
    importer: Optional[str]  # dotted name of the file, when known
    allowed: bool = False  # exempt through the registry's ``allow`` list

    @property
    def is_bypass(self) -> bool:
        return self.code == codes.COORD004


@dataclass(frozen=True)
class DocReference:
    """A documentation file line that still shows a deprecated import."""

    path: str
    line: int
    module: str
    text: str = ""


@dataclass(frozen=True)
class ModuleCount:
    """Python files of the consolidating package, counted two ways."""

    files: int  # every .py file under the package folder
    init_files: int  # __init__.py files among them
    deprecated_files: int  # deprecated modules / wrappers among them (not __init__.py)
    deprecated_paths: Tuple[str, ...] = ()

    @property
    def modules(self) -> int:
        """Files minus ``__init__.py`` minus deprecated modules and wrappers."""
        return self.files - self.init_files - self.deprecated_files


@dataclass(frozen=True)
class DeprecatedStatus:
    module: str
    replacement: Optional[str]
    removal: Optional[datetime.date]
    past_due: bool
    path: Optional[str]  # the file defining it, when it still exists in the scan
    usages: Tuple[Usage, ...]  # importers that must migrate
    allowed: Tuple[Usage, ...]  # importers exempt through ``allow``
    blocking: Tuple[Usage, ...]  # allowed importers that would break on deletion

    @property
    def importers(self) -> List[str]:
        return sorted({u.path for u in self.usages})

    @property
    def ready_to_delete(self) -> bool:
        return self.path is not None and not self.usages and not self.blocking


@dataclass(frozen=True)
class FacadeStatus:
    module: str
    bypasses: Tuple[Usage, ...]

    def by_module(self) -> Dict[str, int]:
        counts: Dict[str, int] = {}
        for usage in self.bypasses:
            counts[usage.module] = counts.get(usage.module, 0) + 1
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


@dataclass(frozen=True)
class Report:
    package: Optional[str]
    package_path: Optional[str]  # folder of the package, relative to the root
    target: Optional[int]
    count: Optional[ModuleCount]
    deprecated: Tuple[DeprecatedStatus, ...]
    facades: Tuple[FacadeStatus, ...]
    today: datetime.date
    root: str = "."
    files_checked: int = 0
    source: str = "built-in default"
    errors: Tuple[str, ...] = ()
    docs: Optional[Tuple[DocReference, ...]] = None

    @property
    def usages(self) -> int:
        return sum(len(d.usages) for d in self.deprecated)

    @property
    def ready_to_delete(self) -> List[DeprecatedStatus]:
        return [d for d in self.deprecated if d.ready_to_delete]

    @property
    def past_due(self) -> List[DeprecatedStatus]:
        return [d for d in self.deprecated if d.past_due]

    @property
    def bypasses(self) -> int:
        return sum(len(f.bypasses) for f in self.facades)


# -- one file ---------------------------------------------------------------------
def unrestricted(registry: Registry) -> Registry:
    """*registry* without ``allow`` lists: finds the importers the registry exempts."""
    return Registry(
        {module: replace(entry, allow=()) for module, entry in registry.deprecations.items()},
        registry.facades, registry.package, registry.target_module_count, registry.source,
    )


def analyze_source(text: str, path: str, module: Optional[str], is_package: bool, registry: Registry,
                   open_registry: Optional[Registry], today: datetime.date,
                   skip_type_checking: bool = False) -> Tuple[Usage, ...]:
    """Usages in one source text. Raises SyntaxError / ValueError when it does not parse.

    *open_registry* is :func:`unrestricted` (*registry*), built once by the caller, or
    None to skip looking for allowed importers (half the work).
    """
    hot_lines = registry.hot_lines(text)
    if not hot_lines:
        return ()
    tree = ast.parse(text, path)
    package = package_of(module, is_package)
    context = Context(registry, module, package, today, skip_type_checking)
    found = [
        Usage(path, f.line, f.col, f.code, f.module, module)
        for f in check_tree(tree, context, hot_lines)
        if f.code in DEPRECATED_CODES or f.code == codes.COORD004
    ]
    if open_registry is None:
        return tuple(found)
    open_context = Context(open_registry, module, package, today, skip_type_checking)
    for finding in check_tree(tree, open_context, hot_lines):
        if finding.code not in DEPRECATED_CODES:
            continue
        entry = registry.deprecations.get(finding.module)
        if entry is not None and entry.allows(module):
            found.append(Usage(path, finding.line, finding.col, finding.code, finding.module, module, True))
    return tuple(found)


# -- the package folder -------------------------------------------------------------
def package_folder(package: str) -> str:
    return package.replace(".", "/")


def count_modules(paths: Iterable[str], package: str, registry: Registry) -> ModuleCount:
    """Count *paths* (``.py`` files relative to the package folder, "/" separated).

    Deprecated files are those of registered deprecated modules, files in a
    ``deprecated/`` folder and files named ``_deprecated_*.py``.
    """
    files = init_files = 0
    deprecated: List[str] = []
    for path in sorted(paths):
        if not path.endswith(".py"):
            continue
        files += 1
        name = posixpath.basename(path)
        if name == "__init__.py":
            init_files += 1
            continue
        folders = path.split("/")[:-1]
        dotted = ".".join([package, *folders, name[:-3]])
        if "deprecated" in folders or name.startswith("_deprecated_") or registry.deprecations.get(dotted):
            deprecated.append(path)
    return ModuleCount(files, init_files, len(deprecated), tuple(deprecated))


def area_of(path: str, top: Optional[str]) -> str:
    """``app`` (the package's top folder, also under one source folder such as ``src/``) /
    ``tests`` / ``scripts`` / ``other``."""
    head, sep, rest = path.partition("/")
    if not sep:
        return "other"
    if top and (head == top or rest.partition("/")[0] == top and "/" in rest):
        return top
    if head in ("tests", "test"):
        return "tests"
    if head == "scripts":
        return "scripts"
    return "other"


def areas(top: Optional[str]) -> Tuple[str, ...]:
    return (top, *AREAS) if top else AREAS


# -- the report ----------------------------------------------------------------------
def build_report(registry: Registry, usages: Iterable[Usage], present: Mapping[str, str],
                 count: Optional[ModuleCount], today: datetime.date, *, root: str = ".",
                 package_path: Optional[str] = None, files_checked: int = 0, errors: Sequence[str] = (),
                 docs: Optional[Sequence[DocReference]] = None) -> Report:
    """*present* maps dotted module names found in the scan to their paths."""
    usages = sorted(usages, key=lambda u: (u.path, u.line, u.col, u.code))
    by_module: Dict[str, List[Usage]] = {}
    for usage in usages:
        by_module.setdefault(usage.module, []).append(usage)
    deprecated = []
    for module in sorted(registry.deprecations):
        entry = registry.deprecations[module]
        mine = by_module.get(module, [])
        allowed = tuple(u for u in mine if u.allowed)
        blocking = tuple(u for u in allowed if not _dies_with(u, registry, package_path))
        deprecated.append(DeprecatedStatus(
            module, entry.replacement, entry.removal, entry.is_past_removal(today), present.get(module),
            tuple(u for u in mine if not u.allowed and not u.is_bypass), allowed, blocking,
        ))
    facades = []
    for facade in sorted(registry.facades):
        bypasses = tuple(
            u for u in usages
            if u.is_bypass and (found := registry.facade_for(u.module)) is not None and found.module == facade
        )
        facades.append(FacadeStatus(facade, bypasses))
    return Report(
        registry.package, package_path, registry.target_module_count, count, tuple(deprecated), tuple(facades),
        today, root, files_checked, registry.source, tuple(errors), None if docs is None else tuple(docs),
    )


def _dies_with(usage: Usage, registry: Registry, package_path: Optional[str]) -> bool:
    """An allowed importer that goes away with the wrappers: another deprecated module or a test."""
    if usage.importer and registry.deprecation_for(usage.importer) is not None:
        return True
    if package_path and usage.path.startswith(package_path + "/deprecated/"):
        return True
    return area_of(usage.path, None) == "tests"


# -- JSON ------------------------------------------------------------------------------
def to_json(report: Report) -> Dict[str, Any]:
    top = report.package.split(".")[0] if report.package else None
    count = report.count
    data: Dict[str, Any] = {
        "package": report.package,
        "package_path": report.package_path,
        "root": report.root,
        "today": report.today.isoformat(),
        "registry": report.source,
        "files_checked": report.files_checked,
        "module_count": None if count is None else {
            "files": count.files,
            "init_files": count.init_files,
            "deprecated_files": count.deprecated_files,
            "modules": count.modules,
            "deprecated_paths": list(count.deprecated_paths),
        },
        "target_module_count": report.target,
        "deprecated_usages": report.usages,
        "deprecated": [
            {
                "module": d.module,
                "replacement": d.replacement,
                "removal": d.removal.isoformat() if d.removal else None,
                "past_removal": d.past_due,
                "path": d.path,
                "ready_to_delete": d.ready_to_delete,
                "usages": len(d.usages),
                "importers": {
                    area: [_usage_json(u) for u in d.usages if area_of(u.path, top) == area]
                    for area in areas(top)
                },
                "allowed_importers": [_usage_json(u) for u in d.allowed],
            }
            for d in report.deprecated
        ],
        "ready_to_delete": [d.module for d in report.ready_to_delete],
        "past_removal": [d.module for d in report.past_due],
        "facades": [
            {"facade": f.module, "bypasses": len(f.bypasses), "by_module": f.by_module(),
             "usages": [_usage_json(u) for u in f.bypasses]}
            for f in report.facades
        ],
        "errors": list(report.errors),
    }
    if report.docs is not None:
        data["docs"] = [{"path": d.path, "line": d.line, "module": d.module, "text": d.text} for d in report.docs]
    return data


def _usage_json(usage: Usage) -> Dict[str, Any]:
    return {"path": usage.path, "line": usage.line, "column": usage.col + 1, "code": usage.code,
            "module": usage.module}


# -- Markdown ------------------------------------------------------------------------
def to_markdown(report: Report) -> str:
    top = report.package.split(".")[0] if report.package else None
    out: List[str] = [f"# Consolidation progress: {report.package or '(no package)'}", ""]
    out += _summary_md(report)
    out.append(f"{report.files_checked} Python files checked under `{report.root}` on "
               f"{report.today.isoformat()}; registry: {report.source}.")
    out.append("")
    out += _module_count_md(report)
    out += _deprecated_md(report, top)
    out += _ready_md(report)
    out += _past_due_md(report)
    out += _facades_md(report)
    if report.docs is not None:
        out += _docs_md(report.docs)
    if report.errors:
        out += ["## Files that could not be checked", ""]
        out += [f"- {error}" for error in report.errors]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _summary_md(report: Report) -> List[str]:
    count = report.count
    modules = "?" if count is None else str(count.modules)
    target = "" if report.target is None else f" (target {report.target})"
    return [
        f"- Modules: **{modules}**{target}",
        f"- Deprecated usages: **{report.usages}** in "
        f"{plural(len({u.path for d in report.deprecated for u in d.usages}), 'file')}",
        f"- Deprecated files ready to delete: **{len(report.ready_to_delete)}**",
        f"- Past their removal date: **{len(report.past_due)}**",
        f"- Facade bypasses: **{report.bypasses}**",
        "",
    ]


def _module_count_md(report: Report) -> List[str]:
    out = ["## Module count", ""]
    count = report.count
    if count is None:
        where = f"`{report.package_path}`" if report.package_path else "its folder"
        out += [f"The package folder ({where}) was not found under `{report.root}`.", ""]
        return out
    target = "—" if report.target is None else str(report.target)
    out += [
        f"| {report.package_path}/ | files |",
        "|---|---:|",
        f"| all `.py` files | {count.files} |",
        f"| `__init__.py` files | {count.init_files} |",
        f"| deprecated modules and wrappers | {count.deprecated_files} |",
        f"| **modules** (all minus `__init__.py` minus deprecated) | **{count.modules}** |",
        f"| target | {target} |",
        "",
    ]
    if report.target is not None:
        left = count.modules - report.target
        status = f"{left} to go" if left > 0 else "target reached"
        out += [f"{count.modules} modules now (counting everything: {count.files}), target {report.target}: "
                f"{status}.", ""]
    return out


def _deprecated_md(report: Report, top: Optional[str]) -> List[str]:
    names = areas(top)
    out = ["## Deprecated modules", "",
           f"{plural(report.usages, 'remaining usage')} of deprecated modules in "
           f"{plural(len({u.path for d in report.deprecated for u in d.usages}), 'file')}.", "",
           "| module | file | replacement | removal | usages | " + " | ".join(names) + " | allowed |",
           "|---|---|---|---|---:|" + "---:|" * len(names) + "---:|"]
    for d in report.deprecated:
        per_area = [sum(1 for u in d.usages if area_of(u.path, top) == area) for area in names]
        removal = d.removal.isoformat() if d.removal else "—"
        if d.past_due:
            removal += " (past)"
        out.append(
            f"| `{d.module}` | {f'`{d.path}`' if d.path else '(no file)'} | "
            f"{f'`{d.replacement}`' if d.replacement else '—'} | {removal} | {len(d.usages)} | "
            + " | ".join(str(n) for n in per_area) + f" | {len(d.allowed)} |"
        )
    out.append("")
    for d in report.deprecated:
        if not d.usages:
            continue
        arrow = f" → `{d.replacement}`" if d.replacement else ""
        out += [f"### `{d.module}`{arrow}", "",
                f"{plural(len(d.usages), 'usage')} in {plural(len(d.importers), 'file')}.", ""]
        for area in names:
            mine = [u for u in d.usages if area_of(u.path, top) == area]
            if mine:
                out.append(f"- {area} ({len(mine)}): " + ", ".join(
                    f"`{u.path}:{u.line}`" for u in mine))
        out.append("")
    return out


def _ready_md(report: Report) -> List[str]:
    out = ["## Ready to delete", ""]
    ready = report.ready_to_delete
    if not ready:
        out += ["No deprecated module file is free of importers yet.", ""]
        return out
    out += ["Deprecated modules whose file still exists and that nothing outside the wrappers and their "
            "tests imports:", ""]
    out += [f"- `{d.module}` (`{d.path}`)" for d in ready]
    out.append("")
    return out


def _past_due_md(report: Report) -> List[str]:
    out = ["## Past removal date", ""]
    due = report.past_due
    if not due:
        out += [f"Nothing is past its removal date on {report.today.isoformat()}.", ""]
        return out
    for d in due:
        state = "still exists" if d.path else "removed"
        out.append(f"- `{d.module}`: due {d.removal.isoformat() if d.removal else '?'}, "
                   f"{plural(len(d.usages), 'usage')} left, file {state}")
    out.append("")
    return out


def _facades_md(report: Report) -> List[str]:
    out = ["## Facade bypasses", "", "| facade | bypasses | files | most bypassed |", "|---|---:|---:|---|"]
    for f in report.facades:
        worst = ", ".join(f"`{m}` ({n})" for m, n in list(f.by_module().items())[:3]) or "—"
        out.append(f"| `{f.module}` | {len(f.bypasses)} | {len({u.path for u in f.bypasses})} | {worst} |")
    out.append("")
    return out


def _docs_md(docs: Sequence[DocReference]) -> List[str]:
    out = ["## Documentation", ""]
    if not docs:
        return out + ["No documentation file shows a deprecated import.", ""]
    out += [f"- `{d.path}:{d.line}`: `{d.module}`" + (f" — {d.text}" if d.text else "") for d in docs]
    out.append("")
    return out
