"""Forbidden imports found in a grimp import graph (the graph import-linter checks).

Shared by the custom contract types and by ``flake8-coordination contracts --baseline``,
so that what the baseline grandfathers is exactly what the contracts report. Nothing is
imported or executed: grimp parses the source files.
"""
from __future__ import annotations

import copy
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Sequence, Set, Tuple

from flake8_coordination.importrules import (
    Architecture,
    DeprecatedSpec,
    FacadeSpec,
    LayersSpec,
    ProtectedSpec,
    import_line,
)
from flake8_coordination.registry import Facade, Registry

#: give up grandfathering a layers contract after this many rounds of removing imports
MAX_ROUNDS = 200


@dataclass(frozen=True, order=True)
class Link:
    """One forbidden direct import: *importer* imports *imported* on *lines*."""

    importer: str
    imported: str
    lines: Tuple[int, ...] = ()

    @property
    def ignore_line(self) -> str:
        return import_line(self.importer, self.imported)


def build_graph(root_packages: Sequence[str], search_path: Path) -> Any:
    """The grimp graph of *root_packages* found under *search_path* (as lint-imports does
    from the current directory). Raises ValueError with a readable message."""
    import grimp

    folder = str(search_path.resolve())
    sys.path.insert(0, folder)
    try:
        return grimp.build_graph(*root_packages, cache_dir=None)
    except Exception as exc:  # grimp raises a variety of errors for missing packages
        raise ValueError(f"cannot build the import graph of {', '.join(root_packages)} "
                         f"from {folder}: {type(exc).__name__}: {exc}") from None
    finally:
        try:
            sys.path.remove(folder)
        except ValueError:  # pragma: no cover
            pass


def _package(graph: Any, module: str) -> Set[str]:
    inside = {module}
    if not graph.is_module_squashed(module):
        inside |= set(graph.find_descendants(module))
    return inside


def protected_links(graph: Any, protected: Iterable[str], allowed: Callable[[str], bool]) -> List[Link]:
    """Direct imports of *protected* (as packages) by modules outside them that are not *allowed*."""
    found: Set[Link] = set()
    for top in sorted(set(protected)):
        if top not in graph.modules:
            continue
        inside = _package(graph, top)
        importers = set(graph.find_modules_that_directly_import(top, as_package=True)) - inside
        for importer in sorted(importers):
            if allowed(importer):
                continue
            for imported in sorted(set(graph.find_modules_directly_imported_by(importer)) & inside):
                details = graph.get_import_details(importer=importer, imported=imported)
                lines = tuple(sorted({detail["line_number"] for detail in details}))
                found.add(Link(importer, imported, lines))
    return sorted(found)


def expressions_predicate(graph: Any, expressions: Iterable[str]) -> Callable[[str], bool]:
    """import-linter's reading of module expressions (as packages) over *graph*."""
    allowed: Set[str] = set()
    for expression in expressions:
        matched = graph.find_matching_modules(expression) if "*" in expression else {expression}
        for module in matched:
            allowed.add(module)
            if module in graph.modules:
                allowed |= set(graph.find_descendants(module))
    return allowed.__contains__


def layers_links(graph: Any, layers: Sequence[Sequence[str]]) -> List[Link]:
    """The direct imports to ignore so that *layers* (highest first, each layer's modules
    free to import each other) hold. Indirect chains are cut at their first import."""
    import grimp

    work = copy.deepcopy(graph)
    grimp_layers = [grimp.Layer(*layer, independent=False) for layer in layers]
    found: Set[Link] = set()
    for _ in range(MAX_ROUNDS):
        dependencies = work.find_illegal_dependencies_for_layers(layers=grimp_layers)
        if not dependencies:
            break
        cut: Set[Tuple[str, str]] = set()
        for dependency in dependencies:
            for route in dependency.routes:
                for head in route.heads:
                    targets = route.middle[:1] or tuple(route.tails)
                    for target in targets:
                        if work.direct_import_exists(importer=head, imported=target):
                            cut.add((head, target))
        if not cut:  # pragma: no cover - grimp always reports direct links
            break
        for importer, imported in sorted(cut):
            details = graph.get_import_details(importer=importer, imported=imported)
            found.add(Link(importer, imported, tuple(sorted({d["line_number"] for d in details}))))
            work.remove_import(importer=importer, imported=imported)
    return sorted(found)


def facade_links(graph: Any, facade: Facade, registry: Registry) -> List[Link]:
    """Imports of what *facade* fronts from outside its subsystem -- the rule of COORD004:
    deprecated modules (wrappers) may import anything, and a fronted module that is itself
    deprecated is left to the deprecated-modules rule (COORD001 wins over COORD004)."""
    def inside(importer: str) -> bool:
        return facade.is_inside(importer) or registry.deprecation_for(importer) is not None

    return [
        link for link in protected_links(graph, facade.fronts, inside)
        if registry.deprecation_for(link.imported) is None
    ]


def deprecated_links(graph: Any, registry: Registry, module: str) -> List[Link]:
    """Imports of the deprecated *module* by modules its entry does not allow (COORD001)."""
    entry = registry.deprecations[module]

    def allowed(importer: str) -> bool:
        return entry.allows(importer) or registry.deprecation_for(importer) is not None

    return [link for link in protected_links(graph, [module], allowed)
            if registry.deprecation_for(link.imported) is entry]


def spec_links(graph: Any, spec: object, registry: Registry) -> List[Link]:
    if isinstance(spec, LayersSpec):
        return layers_links(graph, spec.layers)
    if isinstance(spec, FacadeSpec):
        return facade_links(graph, registry.facades[spec.facade], registry)
    if isinstance(spec, DeprecatedSpec):
        return sorted({link for module in registry.deprecations for link in deprecated_links(graph, registry, module)})
    assert isinstance(spec, ProtectedSpec)
    return protected_links(graph, spec.protected, expressions_predicate(graph, spec.allowed))


def baseline(graph: Any, arch: Architecture, registry: Registry) -> Dict[str, List[str]]:
    """``{contract id: ignore_imports}`` grandfathering every import that breaks *arch* today."""
    found: Dict[str, List[str]] = {}
    for spec in arch.specs:
        links = spec_links(graph, spec, registry)
        if links:
            found[spec.id] = sorted({link.ignore_line for link in links})
    return found


def module_exists(module: str, search_path: Path) -> bool:
    """Is *module* a file (``a/b.py``) or regular package (``a/b/__init__.py``) under *search_path*?"""
    base = search_path.joinpath(*module.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()
