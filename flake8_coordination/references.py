"""Every place a Python tree refers to a module: imports, attribute chains, strings.

A single pass over the AST that yields neutral :class:`Reference` records; deciding
what is wrong with them is :mod:`flake8_coordination.checker`'s job. The tree is
never mutated (flake8 shares it between plugins).
"""
from __future__ import annotations

import ast
from bisect import bisect_left
from dataclasses import dataclass
from typing import Dict, Iterator, List, Optional, Sequence, Tuple, Union

from flake8_coordination.modules import resolve_relative

#: callables whose first argument (a string) names a module or a dotted target
STRING_CALLS = {
    "import_module": "import",
    "__import__": "import",
    "find_spec": "import",
    "patch": "patch",
    "setattr": "patch",
    "delattr": "patch",
    "dict": "patch",
    "multiple": "patch",
}


@dataclass(frozen=True)
class ModuleImport:
    """``import a.b.c`` or ``import a.b.c as x``: one record per alias."""

    node: ast.Import
    alias: ast.alias
    module: str
    line: int
    col: int


@dataclass(frozen=True)
class ImportedName:
    """One name of a ``from`` import."""

    alias: ast.alias
    name: str
    line: int
    col: int


@dataclass(frozen=True)
class FromImport:
    """``from M import a, b as c`` with *module* resolved to an absolute name."""

    node: ast.ImportFrom
    module: str
    names: Tuple[ImportedName, ...]
    line: int
    col: int


@dataclass(frozen=True)
class AttributeChain:
    """``a.b.old`` in code, where ``a`` (or ``a.b``) was bound by an import."""

    node: ast.Attribute
    dotted: str
    imported: str
    line: int
    col: int


@dataclass(frozen=True)
class StringTarget:
    """A string naming a module or a dotted object: ``import_module("x")``, ``patch("x.f")``."""

    node: ast.Constant
    value: str
    resolved: str
    kind: str
    line: int
    col: int


Reference = Union[ModuleImport, FromImport, AttributeChain, StringTarget]


def iter_references(
    tree: ast.AST,
    package: Optional[str],
    skip_type_checking: bool = False,
    hot_lines: Optional[Sequence[int]] = None,
) -> Iterator[Reference]:
    """All references in *tree*.

    With *hot_lines* (sorted line numbers where a registered name occurs), expressions
    spanning none of those lines are not entered: they cannot refer to the registry.
    Statements spanning none of them are passed over except for the statements nested
    in them, so every import is still seen.
    """
    bindings: Dict[str, str] = {}
    chains: List[ast.Attribute] = []
    for node in _walk(tree, skip_type_checking, hot_lines):
        if isinstance(node, ast.Import):
            for alias in node.names:
                line, col = _position(alias, node)
                yield ModuleImport(node, alias, alias.name, line, col)
                if alias.asname:
                    bindings[alias.asname] = alias.name
                else:
                    head = alias.name.partition(".")[0]
                    bindings[head] = head
        elif isinstance(node, ast.ImportFrom):
            module = resolve_relative(node.level, node.module, package)
            if module is None:
                continue
            names = tuple(ImportedName(alias, alias.name, *_position(alias, node)) for alias in node.names)
            yield FromImport(node, module, names, node.lineno, node.col_offset)
            for alias in node.names:
                if alias.name != "*":
                    bindings[alias.asname or alias.name] = f"{module}.{alias.name}"
        elif isinstance(node, ast.Attribute):
            chains.append(node)
        elif isinstance(node, ast.Call):
            yield from _string_targets(node, package)
        elif isinstance(node, ast.Subscript):
            yield from _sys_modules_key(node)
    yield from _attribute_chains(chains, bindings)


def _walk(tree: ast.AST, skip_type_checking: bool, hot_lines: Optional[Sequence[int]]) -> Iterator[ast.AST]:
    """Depth-first, pre-order; optionally not entering ``if TYPE_CHECKING:`` bodies
    nor expressions away from the hot lines."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if hot_lines is not None and isinstance(node, ast.stmt) and _is_cold(node, hot_lines):
            stack.extend(reversed(_nested_statements(node, skip_type_checking)))
            continue  # only imports nested in it can matter (they bind names)
        yield node
        if skip_type_checking and isinstance(node, ast.If) and _is_type_checking(node.test):
            children: List[ast.AST] = [*node.orelse]
        else:
            children = list(ast.iter_child_nodes(node))
        if hot_lines is not None:
            children = [child for child in children if not isinstance(child, ast.expr) or _is_hot(child, hot_lines)]
        stack.extend(reversed(children))


_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")


def _is_cold(node: ast.stmt, hot_lines: Sequence[int]) -> bool:
    """A statement other than an import whose lines (decorators included) are not hot."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return False
    start = node.lineno
    for decorator in getattr(node, "decorator_list", ()):
        start = min(start, decorator.lineno)
    end = getattr(node, "end_lineno", None) or node.lineno
    index = bisect_left(hot_lines, start)
    return not (index < len(hot_lines) and hot_lines[index] <= end)


def _nested_statements(node: ast.stmt, skip_type_checking: bool) -> List[ast.AST]:
    """The statements directly nested in *node* (through except handlers and match cases)."""
    fields = ("orelse",) if skip_type_checking and isinstance(node, ast.If) and _is_type_checking(node.test) else _BODIES
    nested: List[ast.AST] = []
    for name in fields:
        for item in getattr(node, name, None) or ():
            if isinstance(item, ast.stmt):
                nested.append(item)
            else:  # ExceptHandler, match_case
                nested.extend(item.body)
    return nested


def _is_hot(node: ast.expr, hot_lines: Sequence[int]) -> bool:
    end = getattr(node, "end_lineno", None) or node.lineno
    index = bisect_left(hot_lines, node.lineno)
    return index < len(hot_lines) and hot_lines[index] <= end


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _position(alias: ast.alias, node: ast.stmt) -> Tuple[int, int]:
    line = getattr(alias, "lineno", None)
    if line is None:  # Python < 3.10: aliases carry no position
        return node.lineno, node.col_offset
    return line, alias.col_offset


def _dotted_name(node: ast.expr) -> Optional[str]:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _string_targets(call: ast.Call, package: Optional[str]) -> Iterator[StringTarget]:
    callee = _dotted_name(call.func)
    if callee is None:
        return
    leaf = callee.rpartition(".")[2]
    kind = STRING_CALLS.get(leaf)
    if kind is None or (leaf == "setattr" and callee == "setattr") or (leaf == "delattr" and callee == "delattr"):
        return
    if leaf == "dict" and callee == "dict":
        return
    if call.args:
        first = call.args[0]
    else:
        first = next((kw.value for kw in call.keywords if kw.arg in ("name", "target", "in_dict")), None)
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        value = first.value
        resolved: Optional[str] = value
        if kind == "import" and value.startswith("."):
            resolved = _relative_string(value, call, package)
        if resolved and _looks_dotted(resolved):
            yield StringTarget(first, value, resolved, kind, first.lineno, first.col_offset)
    if leaf == "dict":
        for argument in call.args[1:2]:
            yield from _dict_keys(argument)


def _relative_string(value: str, call: ast.Call, package: Optional[str]) -> Optional[str]:
    anchor = call.args[1] if len(call.args) > 1 else next((kw.value for kw in call.keywords if kw.arg == "package"), None)
    if isinstance(anchor, ast.Constant) and isinstance(anchor.value, str):
        package = anchor.value
    level = len(value) - len(value.lstrip("."))
    return resolve_relative(level, value[level:] or None, package)


def _dict_keys(node: ast.expr) -> Iterator[StringTarget]:
    if isinstance(node, ast.Dict):
        for key in node.keys:
            if isinstance(key, ast.Constant) and isinstance(key.value, str) and _looks_dotted(key.value):
                yield StringTarget(key, key.value, key.value, "import", key.lineno, key.col_offset)


def _sys_modules_key(node: ast.Subscript) -> Iterator[StringTarget]:
    if _dotted_name(node.value) != "sys.modules":
        return
    key = node.slice
    if isinstance(key, ast.Index):  # pragma: no cover - Python 3.8
        key = key.value  # type: ignore[attr-defined]
    if isinstance(key, ast.Constant) and isinstance(key.value, str) and _looks_dotted(key.value):
        yield StringTarget(key, key.value, key.value, "import", key.lineno, key.col_offset)


def _looks_dotted(value: str) -> bool:
    return bool(value) and all(part.isidentifier() for part in value.split("."))


def _attribute_chains(chains: List[ast.Attribute], bindings: Dict[str, str]) -> Iterator[AttributeChain]:
    if not bindings:
        return
    for node in chains:
        dotted = _dotted_name(node)
        if dotted is None:
            continue
        head, _, rest = dotted.partition(".")
        imported = bindings.get(head)
        if imported is None:
            continue
        full = f"{imported}.{rest}"
        yield AttributeChain(node, full, imported, node.lineno, node.col_offset)
