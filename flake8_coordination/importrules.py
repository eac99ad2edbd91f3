"""The registry as import rules: which direct imports are forbidden, and the generated
``.importlinter`` file that states them with import-linter's built-in contract types.

Pure: no import-linter, no grimp, no file system. The graph-facing half lives in
:mod:`flake8_coordination.importgraph`; the contract types in
:mod:`flake8_coordination.contracts`.
"""
from __future__ import annotations

import configparser
import difflib
import re
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from flake8_coordination.registry import Registry

GENERATED_BY = "flake8-coordination contracts"
_GLOB = re.compile(r"[*?\[\]!]")


# -- what the contracts say ---------------------------------------------------------
@dataclass(frozen=True)
class ProtectedSpec:
    """Only *allowed* (import-linter module expressions, as packages) may import *protected*."""

    id: str
    name: str
    protected: Tuple[str, ...]
    allowed: Tuple[str, ...]
    guidance: str
    ignore: Tuple[str, ...] = ()
    kind: str = "protected"


@dataclass(frozen=True)
class LayersSpec:
    """Higher layers may import lower ones, never the reverse. Each layer is a tuple of
    modules that may import each other; every module is optional."""

    id: str
    name: str
    layers: Tuple[Tuple[str, ...], ...]
    guidance: str
    ignore: Tuple[str, ...] = ()
    kind: str = "layers"


@dataclass(frozen=True)
class FacadeSpec:
    """A ``coordination_facades`` contract for one facade of the registry."""

    id: str
    name: str
    facade: str
    ignore: Tuple[str, ...] = ()
    kind: str = "coordination_facades"


@dataclass(frozen=True)
class DeprecatedSpec:
    """A ``coordination_deprecated`` contract for every deprecated module of the registry."""

    id: str
    name: str
    ignore: Tuple[str, ...] = ()
    kind: str = "coordination_deprecated"


#: the contract types of :mod:`flake8_coordination.contracts`, as ``contract_types`` lines
CONTRACT_TYPES = (
    ("coordination_facades", "flake8_coordination.contracts.facade.FacadeContract"),
    ("coordination_deprecated", "flake8_coordination.contracts.deprecated.DeprecatedModulesContract"),
)
TYPES = ("coordination", "builtin")


@dataclass(frozen=True)
class Architecture:
    root_packages: Tuple[str, ...]
    specs: Tuple[object, ...]
    #: registry patterns that import-linter expressions cannot state (partial-segment globs)
    dropped: Tuple[str, ...] = field(default=())
    #: modules of the registry left out because they are not in the source tree
    absent: Tuple[str, ...] = field(default=())
    #: ``registry`` option of the coordination contract types (None: nearest / built-in)
    registry_path: Optional[str] = None

    @property
    def uses_own_types(self) -> bool:
        return any(isinstance(spec, (FacadeSpec, DeprecatedSpec)) for spec in self.specs)


def root_package_of(registry: Registry) -> Optional[str]:
    """``app.coordination`` -> ``app``: the package import-linter builds its graph from."""
    if registry.package:
        return registry.package.partition(".")[0]
    names = [*registry.facades, *registry.deprecations]
    return names[0].partition(".")[0] if names else None


def slug(module: str) -> str:
    return module.replace(".", "-").replace("_", "-")


def expression_for(pattern: str) -> Optional[str]:
    """A registry module pattern as an import-linter module expression, or None.

    Plain dotted names stay as they are (import-linter treats them as packages, like the
    registry). A glob whose wildcards are whole segments (``app.*.legacy``) becomes ``**``
    segments: fnmatch's ``*`` crosses dots like ``**`` does. Partial-segment globs
    (``*test_sync_coordinator``) cannot be stated and give None.
    """
    if not _GLOB.search(pattern):
        return pattern
    out = []
    for part in pattern.split("."):
        if part == "*":
            out.append("**")
        elif _GLOB.search(part):
            return None
        else:
            out.append(part)
    return ".".join(out)


def architecture(registry: Registry, root_packages: Sequence[str],
                 ignores: Optional[Mapping[str, Sequence[str]]] = None, types: str = "coordination",
                 exists: Optional[Callable[[str], bool]] = None,
                 registry_path: Optional[str] = None) -> Architecture:
    """The contracts a project shaped like the registry should keep, in a stable order.

    Per facade, a layers contract: the facade's aliases above the facade above the modules
    it fronts (deprecated modules sit in no layer: like wrappers under COORD004, they may
    import what they forward to). Then, with
    ``types="coordination"``, one ``coordination_facades`` contract per facade and one
    ``coordination_deprecated`` contract -- they read the registry when lint-imports runs
    and tolerate absent modules. With ``types="builtin"``, the same rules as import-linter
    ``protected`` contracts (one per facade, one per group of deprecated modules sharing a
    replacement and allowed importers); those refuse absent modules, so *exists* must say
    which modules the source tree has.
    """
    ignores = ignores or {}
    dropped: List[str] = []
    absent: List[str] = []
    present = exists or (lambda module: True)

    def keep(modules: Iterable[str]) -> Tuple[str, ...]:
        found = []
        for module in modules:
            if "*" in module or present(module):
                found.append(module)
            elif module not in absent:
                absent.append(module)
        return tuple(dict.fromkeys(found))

    def expressions(patterns: Iterable[str]) -> Tuple[str, ...]:
        found = []
        for pattern in patterns:
            expression = expression_for(pattern)
            if expression is None:
                dropped.append(pattern)
            else:
                found.append(expression)
        return keep(found)

    def ignored(spec_id: str) -> Tuple[str, ...]:
        return tuple(sorted(set(ignores.get(spec_id, ()))))

    specs: List[object] = []
    for name in sorted(registry.facades):
        facade = registry.facades[name]
        # deprecated modules (wrappers) may import whatever they forward to, as in COORD004:
        # they sit in no layer; the deprecated-modules contract governs who imports them
        current = [m for m in (*facade.fronts, name, *facade.aliases) if registry.deprecation_for(m) is None]
        layers = _disjoint_layers([
            [m for m in facade.fronts if m in current], [name], [m for m in facade.aliases if m in current],
        ])
        layers_id = f"layers-{slug(name)}"
        specs.append(LayersSpec(
            id=layers_id,
            name=f"{name}: callers above the facade above the modules it fronts",
            layers=tuple(reversed(layers)),
            guidance=(f"The modules behind {name} must not import it (nor its aliases); "
                      f"move the shared code down into a fronted module."),
            ignore=ignored(layers_id),
        ))
    if types == "coordination":
        for name in sorted(registry.facades):
            spec_id = f"facade-{slug(name)}"
            specs.append(FacadeSpec(spec_id, f"Only {name} and its subsystem import the modules it fronts",
                                    name, ignored(spec_id)))
        if registry.deprecations:
            specs.append(DeprecatedSpec("deprecated-modules", "Deprecated modules are imported only by their wrappers",
                                        ignored("deprecated-modules")))
        return Architecture(tuple(root_packages), tuple(specs), (), (), registry_path)
    for name in sorted(registry.facades):
        facade = registry.facades[name]
        protected = keep(facade.fronts)
        if not protected:
            continue
        spec_id = f"facade-{slug(name)}"
        specs.append(ProtectedSpec(
            id=spec_id,
            name=f"Only {name} and its subsystem import the modules it fronts",
            protected=protected,
            allowed=expressions((name, *facade.aliases, *facade.fronts, *facade.members)),
            guidance=f"Import from {name} instead.",
            ignore=ignored(spec_id),
        ))
    groups: Dict[Tuple[str, Tuple[str, ...]], List[str]] = {}
    for module in sorted(registry.deprecations):
        entry = registry.deprecations[module]
        if not keep([module]):
            continue
        groups.setdefault((entry.replacement or "", expressions(entry.allow)), []).append(module)
    taken: set = set()
    for (replacement, allowed), modules in sorted(groups.items()):
        if len(modules) == 1:
            spec_id, name = f"deprecated-{slug(modules[0])}", f"Deprecated module {modules[0]}"
        else:
            spec_id = f"deprecated-to-{slug(replacement) if replacement else 'nothing'}"
            name = f"Deprecated modules replaced by {replacement}" if replacement else "Deprecated modules"
        while spec_id in taken:
            spec_id += "-2"
        taken.add(spec_id)
        use = f"Import from {replacement} instead." if replacement else "They have no replacement."
        specs.append(ProtectedSpec(
            id=spec_id,
            name=name,
            protected=tuple(modules),
            allowed=allowed,
            guidance=f"Deprecated: {', '.join(modules)}. {use}",
            ignore=ignored(spec_id),
        ))
    return Architecture(tuple(root_packages), tuple(specs), tuple(sorted(set(dropped))),
                        tuple(sorted(absent)), None)


def _disjoint_layers(layers: List[List[str]]) -> List[Tuple[str, ...]]:
    """Drop modules that repeat or contain / sit inside a module of an earlier layer
    (import-linter refuses overlapping layers); drop layers left empty."""
    placed: List[str] = []
    out = []
    for layer in layers:
        kept = []
        for module in sorted(dict.fromkeys(layer)):
            if any(_overlap(module, other) for other in placed):
                continue
            kept.append(module)
            placed.append(module)
        if kept:
            out.append(tuple(kept))
    return out


def _overlap(a: str, b: str) -> bool:
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


# -- the file ------------------------------------------------------------------------
def render(arch: Architecture, source: str) -> str:
    """The ``.importlinter`` text; deterministic, so ``--check`` can compare it byte for byte."""
    lines = [
        f"# Generated by `{GENERATED_BY}` from {_registry_words(source)}.",
        "# Do not edit by hand: change the registry and regenerate; `--check` fails when stale.",
        "# ignore_imports lists grandfathered imports (written by `--baseline`); the list may only shrink:",
        "# lint-imports fails on an ignored import that no longer exists.",
    ]
    lines += _comment("Registry patterns import-linter cannot state, left out", arch.dropped)
    lines += _comment("Registry modules absent from the source tree, left out", arch.absent)
    lines += ["", "[importlinter]"]
    if len(arch.root_packages) == 1:
        lines.append(f"root_package = {arch.root_packages[0]}")
    else:
        lines.append("root_packages =")
        lines += [f"    {package}" for package in arch.root_packages]
    if arch.uses_own_types:
        lines.append("contract_types =")
        lines += [f"    {name}: {path}" for name, path in CONTRACT_TYPES]
    for spec in arch.specs:
        lines += ["", f"[importlinter:contract:{spec.id}]", f"name = {spec.name}", f"type = {spec.kind}"]
        if isinstance(spec, LayersSpec):
            lines.append("layers =")
            lines += ["    " + " : ".join(f"({module})" for module in layer) for layer in spec.layers]
        elif isinstance(spec, ProtectedSpec):
            lines.append("protected_modules =")
            lines += [f"    {module}" for module in spec.protected]
            lines.append("allowed_importers =")
            lines += [f"    {module}" for module in spec.allowed]
        else:
            if isinstance(spec, FacadeSpec):
                lines.append(f"facades = {spec.facade}")
            if arch.registry_path:
                lines.append(f"registry = {arch.registry_path}")
        if spec.ignore:
            lines.append("ignore_imports =")
            lines += [f"    {item}" for item in spec.ignore]
        guidance = getattr(spec, "guidance", None)
        if guidance:
            lines.append(f"broken_contract_guidance = {guidance}")
    return "\n".join(lines) + "\n"


def _registry_words(source: str) -> str:
    return "the built-in default registry" if source == "built-in default" else f"the registry in {source}"


def _comment(title: str, items: Sequence[str]) -> List[str]:
    if not items:
        return []
    lines, current = [f"# {title}:"], "#  "
    for item in items:
        if len(current) + len(item) + 1 > 100:
            lines.append(current.rstrip(","))
            current = "#  "
        current += f" {item},"
    lines.append(current.rstrip(","))
    return lines


def read_ignores(text: str, where: str) -> Dict[str, List[str]]:
    """``{contract id: ignore_imports}`` of an existing generated file (to keep the baseline)."""
    parser = configparser.RawConfigParser()
    try:
        parser.read_string(text, source=where)
    except configparser.Error as exc:
        from flake8_coordination.config import ConfigError

        raise ConfigError(where, "", f"invalid INI: {exc}") from None
    found: Dict[str, List[str]] = {}
    prefix = "importlinter:contract:"
    for section in parser.sections():
        if section.startswith(prefix) and parser.has_option(section, "ignore_imports"):
            raw = parser.get(section, "ignore_imports")
            found[section[len(prefix):]] = [line.strip() for line in raw.splitlines() if line.strip()]
    return found


def difference(old: str, new: str, path: str) -> str:
    """A unified diff, *old* (on disk) -> *new* (generated)."""
    return "".join(difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True),
        fromfile=f"{path} (on disk)", tofile=f"{path} (from the registry)",
    ))


def import_line(importer: str, imported: str) -> str:
    return f"{importer} -> {imported}"
