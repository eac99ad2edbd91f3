"""The pure core: references in one module -> findings, against one registry."""
from __future__ import annotations

import ast
import datetime
import gc
from dataclasses import dataclass
from typing import Callable, FrozenSet, Iterator, List, Optional, Sequence, Set

from flake8_coordination import codes
from flake8_coordination.excerpt import excerpt
from flake8_coordination.references import (
    AttributeChain,
    FromImport,
    ModuleImport,
    StringTarget,
    iter_references,
)
from flake8_coordination.registry import ModuleDeprecation, NameMove, Registry


@dataclass(frozen=True)
class Finding:
    code: str
    line: int
    col: int  # 0-based, as in the AST
    message: str  # without the code
    module: str  # the deprecated / fronted module concerned
    fixable: bool = False

    @property
    def text(self) -> str:
        return f"{self.code} {self.message}"


@dataclass(frozen=True)
class Context:
    """What the checker needs to know besides the tree."""

    registry: Registry
    module: Optional[str]  # dotted name of the file checked, None for stdin
    package: Optional[str]  # package that relative imports resolve against
    today: datetime.date
    skip_type_checking: bool = False
    disabled: FrozenSet[str] = frozenset()
    #: ``(module, name) -> None`` when ``from module import name`` is proven or cannot be
    #: checked, else why not (see :class:`flake8_coordination.exports.SourceTree`)
    missing: Optional[Callable[[str, str], Optional[str]]] = None

    def why_missing(self, module: str, name: str) -> Optional[str]:
        return None if self.missing is None or name == "*" else self.missing(module, name)


def check_source(source: str, context: Context, filename: str = "<unknown>") -> List[Finding]:
    """Findings for *source*; raises SyntaxError / ValueError when it does not parse."""
    if context.module and context.registry.deprecation_for(context.module):
        return []  # as in check_tree, without parsing
    if "\r" in source and source.count("\r") != source.count("\r\n"):
        source = universal_newlines(source)  # a lone carriage return ends a line for the parser too
    hot_lines = context.registry.hot_lines(source)
    if not hot_lines:
        return []
    return check_tree(parse_excerpt(source, filename, hot_lines), context, hot_lines)


def universal_newlines(source: str) -> str:
    """*source* with every ``\r\n`` and lone ``\r`` made ``\n``: the lines Python sees."""
    return source.replace("\r\n", "\n").replace("\r", "\n")


def parse_excerpt(source: str, filename: str, hot_lines: Sequence[int]) -> ast.Module:
    """The tree of the statements that can matter (see :mod:`flake8_coordination.excerpt`),
    or of the whole *source* when the excerpt is unsure or does not parse."""
    text = excerpt(source, hot_lines)
    collecting = gc.isenabled()
    gc.disable()  # syntax trees hold no cycles; collecting while building them only costs
    try:
        if text is not None:
            try:
                return ast.parse(text, filename)
            except (SyntaxError, ValueError):
                pass  # the whole source tells what is wrong, with its own position
        return ast.parse(source, filename)
    finally:
        if collecting:
            gc.enable()


def check_tree(tree: ast.AST, context: Context, hot_lines: Optional[Sequence[int]] = None) -> List[Finding]:
    """Findings for *tree*; *hot_lines* (from ``Registry.hot_lines``) narrows the walk."""
    if context.module and context.registry.deprecation_for(context.module):
        return []  # a deprecated module (a wrapper) may import whatever it forwards to
    findings = [f for f in _findings(tree, context, hot_lines) if f.code not in context.disabled]
    findings.sort(key=lambda f: (f.line, f.col, f.code))
    return findings


def _findings(tree: ast.AST, context: Context, hot_lines: Optional[Sequence[int]]) -> Iterator[Finding]:
    imported: Set[str] = set()
    for ref in iter_references(tree, context.package, context.skip_type_checking, hot_lines):
        if isinstance(ref, ModuleImport):
            imported.add(ref.module)
            yield from _module_import(ref, context)
        elif isinstance(ref, FromImport):
            yield from _from_import(ref, context)
        elif isinstance(ref, AttributeChain):
            yield from _attribute_chain(ref, context, imported)
        elif isinstance(ref, StringTarget):
            yield from _string_target(ref, context)


# -- one function per reference kind -------------------------------------------------
def _module_import(ref: ModuleImport, context: Context) -> Iterator[Finding]:
    entry = _deprecation(ref.module, context)
    if entry is not None:
        new = _replace_prefix(ref.module, entry)
        statement, why = None, _module_missing(new, context)
        if new is not None and not why:
            statement = f"'import {new}'" if ref.alias.asname is None else f"'import {new} as {ref.alias.asname}'"
        yield _deprecated_module(ref.line, ref.col, ref.module, entry, statement, context,
                                 fixable=new is not None and not why, missing=why)
    elif not _allowed_deprecated(ref.module, context):
        yield from _bypass(ref.module, ref.line, ref.col, context)


def _from_import(ref: FromImport, context: Context) -> Iterator[Finding]:
    entry = _deprecation(ref.module, context)
    if entry is not None:
        yield from _from_deprecated(ref, entry, context)
        return
    if _allowed_deprecated(ref.module, context):
        return
    bypass = list(_bypass(ref.module, ref.line, ref.col, context))
    if bypass:
        yield from bypass
        return
    for imported in ref.names:
        if imported.name == "*":
            continue
        submodule = f"{ref.module}.{imported.name}"
        sub_entry = _deprecation(submodule, context)
        if sub_entry is not None:
            yield _deprecated_submodule(imported, submodule, sub_entry, context)
        elif not _allowed_deprecated(submodule, context):
            yield from _bypass(submodule, imported.line, imported.col, context)


def _from_deprecated(ref: FromImport, entry: ModuleDeprecation, context: Context) -> Iterator[Finding]:
    kept = []
    for imported in ref.names:
        move = entry.names.get(imported.name) if ref.module == entry.module else None
        if move is None:
            kept.append(imported)
            continue
        yield _moved_name(imported.line, imported.col, move, entry, context)
    if kept:
        new = _replace_prefix(ref.module, entry)
        absent = [(n, context.why_missing(new, n.name)) for n in kept] if new else []
        provided = [n for n, why in absent if why is None] if new else kept
        listed = ", ".join(_alias_text(n.alias) for n in provided)
        statement = f"'from {new} import {listed}'" if new and provided else None
        reasons = "; ".join(dict.fromkeys(why for _, why in absent if why))
        star = any(n.name == "*" for n in kept)  # the fixer cannot prove what a star import needs
        fixable = new is not None and not star and not reasons
        yield _deprecated_module(ref.line, ref.col, ref.module, entry, statement, context, fixable, reasons)


def _deprecated_submodule(imported, submodule: str, entry: ModuleDeprecation, context: Context) -> Finding:
    new = _replace_prefix(submodule, entry)
    statement, why = None, _module_missing(new, context)
    if new is not None and not why:
        new_parent, _, new_leaf = new.rpartition(".")
        local = imported.alias.asname or imported.name
        alias = f" as {local}" if local != new_leaf else ""
        statement = f"'from {new_parent} import {new_leaf}{alias}'" if new_parent else f"'import {new_leaf}{alias}'"
    return _deprecated_module(imported.line, imported.col, submodule, entry, statement, context,
                              fixable=new is not None and not why, missing=why)


def _module_missing(module: Optional[str], context: Context) -> str:
    """Why *module* cannot be imported from the source tree ('' when it can, or cannot be told)."""
    if not module or "." not in module:
        return ""
    parent, _, leaf = module.rpartition(".")
    why = context.why_missing(parent, leaf)
    if not why or "is not in the source tree" in why:
        return why or ""
    return f"{module} is not in the source tree"


def _attribute_chain(ref: AttributeChain, context: Context, imported: Set[str]) -> Iterator[Finding]:
    entry = context.registry.deprecations.get(ref.dotted)
    if entry is None or entry.allows(context.module):
        return
    if len(ref.dotted) <= len(ref.imported) or any(_within(m, ref.dotted) for m in imported):
        return  # the import statement itself is reported
    new = entry.replacement
    yield _deprecated_module(ref.line, ref.col, ref.dotted, entry, f"'{new}'" if new else None, context, fixable=False)


def _string_target(ref: StringTarget, context: Context) -> Iterator[Finding]:
    entry = _deprecation(ref.resolved, context)
    if entry is None:
        return
    new = _replace_string(ref.resolved, entry)
    use = f"; use '{new}'" if new else ""
    what = f"'{ref.value}' names deprecated module {entry.module}{use}"
    yield _emit(codes.COORD005, ref.line, ref.col, what, entry, context, fixable=new is not None)


def _bypass(module: str, line: int, col: int, context: Context) -> Iterator[Finding]:
    facade = context.registry.facade_for(module)
    if facade is None or facade.is_inside(context.module):
        return
    yield Finding(
        codes.COORD004, line, col,
        f"{module} is fronted by {facade.module}; import from {facade.module} instead",
        module,
    )


# -- helpers ---------------------------------------------------------------------
def _deprecation(module: str, context: Context) -> Optional[ModuleDeprecation]:
    entry = context.registry.deprecation_for(module)
    if entry is None or entry.allows(context.module):
        return None
    return entry


def _allowed_deprecated(module: str, context: Context) -> bool:
    """A deprecated module its allow list lets this file keep importing (no bypass either)."""
    entry = context.registry.deprecation_for(module)
    return entry is not None and entry.allows(context.module)


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _replace_prefix(module: str, entry: ModuleDeprecation) -> Optional[str]:
    if entry.replacement is None:
        return None
    return entry.replacement + module[len(entry.module):]


def _replace_string(dotted: str, entry: ModuleDeprecation) -> Optional[str]:
    """``old.Name.attr`` -> ``new.NewName.attr`` using the name moves; None if unsure."""
    rest = dotted[len(entry.module):].lstrip(".")
    head, _, tail = rest.partition(".")
    move = entry.names.get(head) if head else None
    if move is not None:
        if move.manual:
            return None
        return ".".join(filter(None, (move.new_module, move.new_name, tail)))
    if entry.replacement is None:
        return None
    return ".".join(filter(None, (entry.replacement, rest)))


def _alias_text(alias: ast.alias) -> str:
    return f"{alias.name} as {alias.asname}" if alias.asname else alias.name


def _moved_name(line: int, col: int, move: NameMove, entry: ModuleDeprecation, context: Context) -> Finding:
    if move.manual:
        hint = f"; {move.note}" if move.note else ""
        what = f"{move.module}.{move.name} is deprecated; use '{move.replacement_import}' (not a drop-in replacement{hint})"
        return _emit(codes.COORD002, line, col, what, entry, context, fixable=False)
    what = f"{move.module}.{move.name} is deprecated; use '{move.replacement_import}'"
    why = context.why_missing(move.new_module, move.new_name)
    if why:
        what += f" (but {why}: fix the registry or the module)"
    return _emit(codes.COORD002, line, col, what, entry, context, fixable=why is None)


def _deprecated_module(line, col, module, entry, statement, context, fixable, missing: str = "") -> Finding:
    use = f"; use {statement}" if statement else ("" if missing else "; it has no replacement")
    if missing:
        use += f"; no automatic fix: {missing}"
    return _emit(codes.COORD001, line, col, f"{module} is deprecated{use}", entry, context, fixable)


def _emit(code: str, line: int, col: int, what: str, entry: ModuleDeprecation, context: Context, fixable: bool) -> Finding:
    if entry.is_past_removal(context.today):
        code = codes.COORD003
        what = f"{what} (removal was due {entry.removal.isoformat()})"
    elif entry.removal is not None:
        what = f"{what} (removal due {entry.removal.isoformat()})"
    if fixable:
        what += " [fixable]"
    return Finding(code, line, col, what, entry.module, fixable)
