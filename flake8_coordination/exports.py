"""What a module statically provides, read from its source without importing it.

The fixer only rewrites ``from old import X`` to ``from new import X`` when, if the
source of ``new`` is in the tree being fixed, ``new`` really defines or re-exports
``X``. :func:`module_names` is the pure part (one AST -> the names it binds);
:class:`SourceTree` finds module files under source roots and caches the answers.
"""
from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, Iterator, List, Optional, Sequence, Tuple

from flake8_coordination.files import InputError, read_source
from flake8_coordination.modules import resolve_relative


@dataclass(frozen=True)
class ModuleNames:
    """Names a module binds at top level, plus what it cannot prove statically."""

    names: FrozenSet[str]
    all: Optional[Tuple[str, ...]]  # literal ``__all__`` when there is one
    stars: Tuple[str, ...]  # absolute modules it ``import *``s from
    lazy: bool  # defines a module-level ``__getattr__`` (PEP 562)


def module_names(tree: ast.Module, package: Optional[str]) -> ModuleNames:
    """Top-level bindings of *tree*: assignments, defs, classes, imports, ``__all__``."""
    names: set = set()
    stars: List[str] = []
    declared: Optional[List[str]] = None
    for node in _top_level(tree.body):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names.add(alias.asname or alias.name.partition(".")[0])
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name == "*":
                    source = resolve_relative(node.level, node.module, package)
                    if source:
                        stars.append(source)
                else:
                    names.add(alias.asname or alias.name)
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor, ast.With, ast.AsyncWith)):
            for target in _targets(node):
                names.update(_bound(target))
            listed = _all_literal(node)
            if listed is not None:
                declared = (declared or []) + listed if isinstance(node, ast.AugAssign) else listed
        elif isinstance(node, ast.NamedExpr):
            names.update(_bound(node.target))
    return ModuleNames(
        frozenset(names),
        tuple(declared) if declared is not None else None,
        tuple(stars),
        "__getattr__" in names,
    )


def _top_level(body: Sequence[ast.stmt]) -> Iterator[ast.AST]:
    """Module-level statements, entering if/try/with/for blocks but not defs or classes."""
    for node in body:
        yield node
        if isinstance(node, (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith)):
            yield from _top_level(node.body)
            yield from _top_level(getattr(node, "orelse", []))
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            yield from _top_level(node.body)  # type: ignore[attr-defined]
            for handler in node.handlers:  # type: ignore[attr-defined]
                yield from _top_level(handler.body)
            yield from _top_level(node.orelse)  # type: ignore[attr-defined]
            yield from _top_level(node.finalbody)  # type: ignore[attr-defined]
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.NamedExpr):
            yield node.value


def _targets(node: ast.AST) -> List[ast.expr]:
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, (ast.AugAssign, ast.For, ast.AsyncFor)):
        return [node.target]
    if isinstance(node, ast.AnnAssign):
        return [node.target] if node.value is not None else []
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return [item.optional_vars for item in node.items if item.optional_vars is not None]
    return []


def _bound(target: ast.expr) -> Iterator[str]:
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _bound(element)
    elif isinstance(target, ast.Starred):
        yield from _bound(target.value)


def _all_literal(node: ast.AST) -> Optional[List[str]]:
    targets = _targets(node)
    if not any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
        return None
    value = getattr(node, "value", None)
    if isinstance(value, (ast.List, ast.Tuple)):
        return [e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return None


class SourceTree:
    """Module sources under a set of roots, read and analysed at most once each.

    ``lookup(module)`` answers: ``None`` when the module's top-level package is not
    under any root (nothing can be proven, the registry is trusted), ``False`` when the
    package is there but the module is not, else its :class:`ModuleNames`.
    """

    def __init__(self, roots: Iterable[Path] = ()) -> None:
        self.roots: List[Path] = []
        self._known: set = set()
        self._cache: Dict[str, object] = {}
        self._heads: Dict[str, Optional[Path]] = {}
        self._for_root: Dict[Path, "SourceTree"] = {}
        for root in roots:
            self.add_root(root)

    def add_root(self, root: Path) -> None:
        root = Path(os.path.abspath(root))
        if root not in self._known:
            self._known.add(root)
            self.roots.append(root)
            self._heads.clear()
            self._for_root.clear()
            for module in [m for m, found in self._cache.items() if found is None]:
                del self._cache[module]  # may be checkable now

    def for_file(self, path: str) -> "SourceTree":
        """The tree the imports of the file at *path* are proven against: these roots and
        the import root of the package holding it, if any; the same whatever files were
        checked before (one tree per package root, built once)."""
        if not (path.endswith((".py", ".pyi")) and os.path.isfile(os.path.join(os.path.dirname(path) or ".", "__init__.py"))):
            return self
        root = package_root(path)
        if root in self._known:
            return self
        found = self._for_root.get(root)
        if found is None:
            found = self._for_root[root] = SourceTree([*self.roots, root])
        return found

    def _root_for(self, module: str) -> Optional[Path]:
        head = module.partition(".")[0]
        if head not in self._heads:
            self._heads[head] = next((root for root in self.roots if (root / head).is_dir()
                                      or (root / f"{head}.py").is_file() or (root / f"{head}.pyi").is_file()), None)
        return self._heads[head]

    def path_of(self, module: str) -> Optional[Path]:
        root = self._root_for(module)
        if root is None:
            return None
        base = root.joinpath(*module.split("."))
        for candidate in (base / "__init__.py", base / "__init__.pyi", base.with_suffix(".py"), base.with_suffix(".pyi")):
            if candidate.is_file():
                return candidate
        return None

    def _is_namespace_package(self, module: str) -> bool:
        """A folder without ``__init__.py`` (PEP 420): it holds modules, defines no names."""
        root = self._root_for(module)
        return root is not None and root.joinpath(*module.split(".")).is_dir()

    def knows(self, module: str) -> bool:
        """True when *module*'s top-level package is in the tree (so it can be checked)."""
        return self._root_for(module) is not None

    def lookup(self, module: str):  # -> Optional[ModuleNames | bool]
        if module in self._cache:
            return self._cache[module]
        result: object
        if not self.knows(module):
            result = None
        else:
            path = self.path_of(module)
            if path is None:
                result = False
            else:
                result = self._read(path, module)
        self._cache[module] = result
        return result

    def _read(self, path: Path, module: str) -> object:
        try:
            source = read_source(str(path))
            tree = ast.parse(source.text, str(path))
        except (InputError, SyntaxError, ValueError, RecursionError):
            return ModuleNames(frozenset(), None, (), True)  # unreadable: prove nothing
        package = module if path.stem == "__init__" else module.rpartition(".")[0] or None
        return module_names(tree, package)

    # -- the questions the fixer asks -------------------------------------------------
    def check_module(self, module: str) -> Optional[str]:
        """None when *module* may be imported (present, or not checkable); else why not."""
        if self.lookup(module) is False:
            return f"{module} is not in the source tree"
        return None

    def check_dotted(self, dotted: str) -> Optional[str]:
        """None when ``dotted`` (``module.attr...``) is proven, or not checkable; else why not."""
        if not self.knows(dotted):
            return None
        parts = dotted.split(".")
        for size in range(len(parts), 0, -1):
            if isinstance(self.lookup(".".join(parts[:size])), ModuleNames):
                if size == len(parts):
                    return None
                return self.check_name(".".join(parts[:size]), parts[size])
        return f"{dotted} is not in the source tree"

    def binds(self, module: str, name: str) -> bool:
        """True only when *module* is in the tree and statically binds *name*."""
        found = self.lookup(module)
        return isinstance(found, ModuleNames) and name in found.names

    def check_name(self, module: str, name: str) -> Optional[str]:
        """None when ``from module import name`` is proven (or not checkable); else why not."""
        return self._check_name(module, name, ())

    def _check_name(self, module: str, name: str, seen: Tuple[str, ...]) -> Optional[str]:
        found = self.lookup(module)
        if found is None:
            return None
        if found is False:
            if not self._is_namespace_package(module):
                return f"{module} is not in the source tree"
            if self.lookup(f"{module}.{name}") not in (None, False):
                return None  # a module of a namespace package
            return f"{module} does not define or re-export {name}"
        assert isinstance(found, ModuleNames)
        if name in found.names or (found.all is not None and name in found.all):
            return None
        if self.lookup(f"{module}.{name}") not in (None, False):
            return None  # a submodule
        for star in found.stars:
            if star in seen:
                continue
            origin = self.lookup(star)
            if not isinstance(origin, ModuleNames):
                continue  # outside the tree: a star import proves nothing
            if (origin.all is not None and name not in origin.all) or (origin.all is None and name.startswith("_")):
                continue
            if self._check_name(star, name, (*seen, module)) is None:
                return None
        if found.lazy:
            return f"{module} does not define {name} statically (it has a module __getattr__)"
        return f"{module} does not define or re-export {name}"


def package_root(path: str) -> Path:
    """The folder above the outermost package containing *path* (its import root)."""
    folder = Path(os.path.abspath(path)).parent
    while (folder / "__init__.py").is_file() and folder.parent != folder:
        folder = folder.parent
    return folder
