"""Rewrite deprecated imports in one module's source, keeping formatting and comments.

Pure: ``fix_source(text, context, tree=...) -> (new_text, outcomes)``. Two phases, as in
pyupgrade: the AST (through :func:`~flake8_coordination.references.iter_references`)
decides *what* changes, then the text is spliced in reverse order so that everything
not rewritten — comments, spacing, parentheses, line continuations — stays byte for byte.

Rules (see ``docs/fixer.md``):

* a name is rewritten only when the registry says where it went; ``manual`` moves,
  star imports and entries without a replacement are refused with a reason;
* a renamed name keeps its local binding: ``from old import A`` becomes
  ``from new import B as A`` (uses of ``A`` are never touched);
* when the destination module's source is in the tree being fixed (*tree*), the rewrite
  happens only if that module statically defines or re-exports the name;
* no existing import is merged into or removed, no duplicate import is produced, and
  the result must parse, else the file is left as it was.
"""
from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Set, Tuple, Union

from flake8_coordination import codes
from flake8_coordination.checker import Context
from flake8_coordination.modules import resolve_relative
from flake8_coordination.noqa import suppresses
from flake8_coordination.references import AttributeChain, FromImport, ModuleImport, StringTarget, iter_references
from flake8_coordination.registry import ModuleDeprecation

_NEWLINE = re.compile(r"\r\n|\r|\n")
_STRING = re.compile(r"^([rRuU]?)('''|\"\"\"|'|\")(.*)\2$", re.DOTALL)


@dataclass(frozen=True)
class Change:
    """One rewrite: *before* became *after* (both as short source snippets)."""

    line: int
    col: int  # 0-based
    code: str  # the COORD code ``check`` reports for what was rewritten
    kind: str  # "import", "attribute" or "string"
    before: str
    after: str

    @property
    def message(self) -> str:
        return f"{self.before} -> {self.after}"


@dataclass(frozen=True)
class Refusal:
    """Something reported by ``check`` that was left alone, and why."""

    line: int
    col: int
    code: str  # "" for file-level problems (syntax error, rewrite would not parse)
    kind: str  # "import", "attribute", "string", "syntax" or "file"
    reason: str

    @property
    def message(self) -> str:
        return self.reason


Outcome = Union[Change, Refusal]


class TrustRegistry:
    """The verifier used when no source tree is known: the registry is believed."""

    def check_module(self, module: str) -> Optional[str]:
        return None

    def check_name(self, module: str, name: str) -> Optional[str]:
        return None

    def check_dotted(self, dotted: str) -> Optional[str]:
        return None

    def binds(self, module: str, name: str) -> bool:
        return False


def fix_source(text: str, context: Context, tree: object = None) -> Tuple[str, List[Outcome]]:
    """The fixed text and what was changed or refused.

    *tree* answers ``check_module``/``check_name``/``check_dotted``/``binds`` (a
    :class:`~flake8_coordination.exports.SourceTree`); ``None`` trusts the registry.
    Codes in ``context.disabled`` are neither fixed nor reported.
    """
    if not context.registry.mentions_any(text):
        return text, []
    if context.module and context.registry.deprecation_for(context.module):
        return text, []  # a deprecation wrapper forwards to the new location on purpose
    try:
        module = ast.parse(text)
    except SyntaxError as exc:
        return text, [Refusal(exc.lineno or 1, max((exc.offset or 1) - 1, 0), "", "syntax", f"syntax error: {exc.msg}")]
    except (ValueError, RecursionError, MemoryError) as exc:
        return text, [Refusal(1, 0, "", "syntax", f"cannot be parsed ({type(exc).__name__}: {exc})")]
    planner = _Planner(text, module, context, tree if tree is not None else TrustRegistry())
    planner.plan()
    return planner.apply()


# -- source positions ---------------------------------------------------------------
class _Source:
    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        match = _NEWLINE.search(text)
        self.newline = match.group() if match else "\n"

    def line(self, lineno: int) -> str:
        start = self.starts[lineno - 1]
        end = self.starts[lineno] if lineno < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def offset(self, lineno: int, col_bytes: int) -> int:
        """Character offset of an AST position (columns are UTF-8 byte offsets)."""
        line = self.line(lineno)
        prefix = line.encode("utf-8", "surrogatepass")[:col_bytes].decode("utf-8", "replace")
        return self.starts[lineno - 1] + len(prefix)

    def span(self, node: ast.AST) -> Tuple[int, int]:
        return (self.offset(node.lineno, node.col_offset),  # type: ignore[attr-defined]
                self.offset(node.end_lineno, node.end_col_offset))  # type: ignore[attr-defined]


@dataclass
class _Item:
    start: int
    end: int
    text: str
    dotted: Tuple[int, int]  # span of the (dotted) name alone
    row: int
    leading: List[str] = field(default_factory=list)
    trailing: Optional[str] = None


@dataclass
class _Statement:
    start: int
    end: int
    module: Optional[Tuple[int, int]]
    items: List[_Item]
    paren: bool
    multiline: bool
    indent: str
    inline: bool
    item_indent: str
    close_indent: str
    open_comment: Optional[str] = None
    close_comments: List[str] = field(default_factory=list)


def _parse_statement(src: _Source, node: ast.stmt) -> Optional[_Statement]:
    """Token-level anatomy of an ``import``/``from`` statement (None if unexpected)."""
    start, end = src.span(node)
    segment = src.text[start:end]
    rows = [0] + [m.end() for m in _NEWLINE.finditer(segment)]

    def at(position: Tuple[int, int]) -> int:
        return start + rows[position[0] - 1] + position[1]

    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(segment, newline="").readline)
                  if t.type not in (tokenize.NEWLINE, tokenize.ENDMARKER, tokenize.INDENT, tokenize.DEDENT)]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None
    line_start = src.starts[node.lineno - 1]
    prefix = src.text[line_start:start]
    inline = prefix.strip() != ""
    indent = re.match(r"[ \t]*", prefix).group() if prefix else ""  # type: ignore[union-attr]
    i = 1
    module = None
    if isinstance(node, ast.ImportFrom):
        first = i
        while i < len(tokens) and not (tokens[i].type == tokenize.NAME and tokens[i].string == "import"):
            i += 1
        if i >= len(tokens):
            return None
        if i > first:
            module = (at(tokens[first].start), at(tokens[i - 1].end))
        i += 1
    paren = i < len(tokens) and tokens[i].string == "("
    paren_row = tokens[i].start[0] if paren else 0
    close_row = 0
    if paren:
        i += 1
    items: List[_Item] = []
    pending: List[str] = []
    open_comment = None
    while i < len(tokens):
        token = tokens[i]
        if token.type == tokenize.COMMENT:
            if items and token.start[0] == items[-1].row and items[-1].trailing is None:
                items[-1].trailing = token.string
            elif not items and token.start[0] == paren_row and open_comment is None:
                open_comment = token.string
            else:
                pending.append(token.string)
            i += 1
        elif token.type == tokenize.NL or token.string == ",":
            i += 1
        elif token.string == ")":
            close_row = token.start[0]
            i += 1
        elif token.type == tokenize.NAME:
            j = i + 1
            while j + 1 < len(tokens) and tokens[j].string == "." and tokens[j + 1].type == tokenize.NAME:
                j += 2
            dotted = (at(token.start), at(tokens[j - 1].end))
            last = tokens[j - 1]
            if j + 1 < len(tokens) and tokens[j].string == "as":
                last = tokens[j + 1]
                j += 2
            item_start, item_end = at(token.start), at(last.end)
            items.append(_Item(item_start, item_end, src.text[item_start:item_end], dotted, last.end[0], pending))
            pending = []
            i = j
        elif token.string == "*":
            items.append(_Item(at(token.start), at(token.end), "*", (at(token.start), at(token.end)), token.end[0], pending))
            pending = []
            i += 1
        else:
            return None
    if len(items) != len(node.names):  # type: ignore[attr-defined]
        return None
    lines = segment.splitlines()
    first_item_row = next((r for r in range(1, len(rows) + 1) if items and rows[r - 1] <= items[0].start - start), 1)
    item_indent = indent + "    "
    if paren and first_item_row > paren_row:
        item_indent = re.match(r"[ \t]*", lines[first_item_row - 1]).group()  # type: ignore[union-attr]
    close_indent = indent
    if close_row and lines[close_row - 1].strip() == ")":
        close_indent = re.match(r"[ \t]*", lines[close_row - 1]).group()  # type: ignore[union-attr]
    return _Statement(start, end, module, items, paren, "\n" in segment or "\r" in segment, indent, inline,
                      item_indent, close_indent, open_comment, pending)


# -- planning -------------------------------------------------------------------------
@dataclass
class _Move:
    index: int
    module: str
    name: str
    binding: str
    code: str


class _Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Planner:
    def __init__(self, text: str, tree: ast.Module, context: Context, verifier: object) -> None:
        self.src = _Source(text)
        self.tree = tree
        self.context = context
        self.registry = context.registry
        self.verifier = verifier
        self.edits: Dict[Tuple[int, int], str] = {}
        self.outcomes: List[Outcome] = []
        self.refs = list(iter_references(tree, context.package, context.skip_type_checking))
        self.block_of: Dict[int, int] = {}
        self.block_keys: Dict[int, Set[tuple]] = {}
        self.imported: Set[str] = {r.module for r in self.refs if isinstance(r, ModuleImport)}
        self.consumed: Set[int] = set()
        self._index()
        self.parents, self.rebound, self.bare = _bindings(tree)

    def _index(self) -> None:
        """Which block each statement is in, and the imports each block already has."""
        stack: List[ast.AST] = [self.tree]
        while stack:
            node = stack.pop()
            for name in ("body", "orelse", "finalbody", "handlers", "cases"):
                block = getattr(node, name, None)
                if not isinstance(block, list):
                    continue
                key = hash((id(node), name))
                keys = self.block_keys.setdefault(key, set())
                for statement in block:
                    self.block_of[id(statement)] = key
                    keys.update(self._keys(statement))
                    stack.append(statement)

    def _parent(self, node: ast.AST) -> Optional[ast.Attribute]:
        return self.parents.get(id(node))

    def _keys(self, statement: ast.AST) -> List[tuple]:
        if isinstance(statement, ast.Import):
            return [("import", a.name, a.asname) for a in statement.names]
        if isinstance(statement, ast.ImportFrom):
            module = resolve_relative(statement.level, statement.module, self.context.package)
            return [("from", module, a.name, a.asname or a.name) for a in statement.names]
        return []

    # -- registry walking ----------------------------------------------------------
    def _deprecation(self, module: str) -> Optional[ModuleDeprecation]:
        entry = self.registry.deprecation_for(module)
        if entry is None or entry.allows(self.context.module):
            return None
        return entry

    def _code(self, entry: ModuleDeprecation, base: str) -> str:
        return codes.COORD003 if entry.is_past_removal(self.context.today) else base

    def _enabled(self, code: str, node: Optional[ast.AST] = None) -> bool:
        """Not switched off, and not silenced by a ``# noqa`` covering *code* on *node*'s lines."""
        if code in self.context.disabled:
            return False
        if node is None or "noqa" not in self.src.text:
            return True
        first, last = node.lineno, getattr(node, "end_lineno", None) or node.lineno  # type: ignore[attr-defined]
        return not any(suppresses(self.src.line(number), code) for number in range(first, last + 1))

    def _partly_silenced(self, ref: FromImport, entry: Optional[ModuleDeprecation]) -> bool:
        """Does a ``# noqa`` on the statement silence some of its names (so a split would move it)?"""
        if "noqa" not in self.src.text:
            return False
        for imported in ref.names:
            name_entry = entry or self._deprecation(f"{ref.module}.{imported.name}")
            if name_entry is None or imported.name == "*":
                continue
            moved = entry is not None and entry.module == ref.module and imported.name in entry.names
            code = self._code(name_entry, codes.COORD002 if moved else codes.COORD001)
            if code not in self.context.disabled and not self._enabled(code, ref.node):
                return True
        return False

    def _follow(self, module: str, name: Optional[str]) -> Tuple[str, Optional[str]]:
        """Where ``module[:name]`` ends up, following renames; raises _Refused."""
        for _ in range(32):
            entry = self._deprecation(module)
            if entry is None:
                return module, name
            move = entry.names.get(name) if name is not None and module == entry.module else None
            if move is not None:
                if move.manual:
                    note = f" ({move.note})" if move.note else ""
                    raise _Refused(f"{move.module}.{move.name} is a manual move, never rewritten{note}")
                module, name = move.new_module, move.new_name
            elif entry.replacement is None:
                raise _Refused(f"{entry.module} has no replacement in the registry")
            else:
                module = entry.replacement + module[len(entry.module):]
        raise _Refused(f"{module}: replacements do not settle")  # pragma: no cover - config rejects cycles

    def _refuse(self, node: ast.AST, code: str, kind: str, reason: str, line: Optional[int] = None, col: Optional[int] = None) -> None:
        position = (line or node.lineno, node.col_offset if col is None else col)  # type: ignore[attr-defined]
        self.outcomes.append(Refusal(*position, code, kind, reason))

    def _edit(self, start: int, end: int, text: str) -> None:
        if self.src.text[start:end] != text:
            self.edits[(start, end)] = text

    # -- the passes -----------------------------------------------------------------
    def plan(self) -> None:
        for ref in self.refs:
            if isinstance(ref, ModuleImport):
                self._plan_import(ref)
            elif isinstance(ref, FromImport):
                self._plan_from(ref)
        for ref in self.refs:
            if isinstance(ref, AttributeChain) and id(ref.node) not in self.consumed:
                self._plan_chain(ref)
            elif isinstance(ref, StringTarget):
                self._plan_string(ref)

    # ``import old.mod`` / ``import old.mod as m``
    def _plan_import(self, ref: ModuleImport) -> None:
        entry = self._deprecation(ref.module)
        if entry is None:
            return
        code = self._code(entry, codes.COORD001)
        uses = self._module_uses(ref.module, ref.alias.asname)
        if not self._enabled(code, ref.node):
            self.consumed.update(id(u.node) for u in uses)
            return
        try:
            new, _ = self._follow(ref.module, None)
            self._check(self.verifier.check_module(new))  # type: ignore[attr-defined]
            if ref.alias.asname is None and new.partition(".")[0] != ref.module.partition(".")[0]:
                raise _Refused(f"{new} is in another top-level package; uses of '{ref.module}' need 'import {new} as ...' by hand")
            key = ("import", new, ref.alias.asname)
            block = self.block_keys.get(self.block_of.get(id(ref.node), 0), set())
            if key in block:
                raise _Refused(f"'import {new}' is already in the same block; remove this import by hand")
            edits = self._use_edits(uses, ref.module, new, ref.alias.asname)
            statement = _parse_statement(self.src, ref.node)
            if statement is None:
                raise _Refused("unexpected statement layout")
        except _Refused as refused:
            self.consumed.update(id(u.node) for u in uses)
            self._refuse(ref.node, code, "import", refused.reason, ref.line, ref.col)
            return
        item = statement.items[ref.node.names.index(ref.alias)]
        self._edit(*item.dotted, new)
        for span, text in edits:
            self._edit(*span, text)
        self.consumed.update(id(u.node) for u in uses)
        block.add(key)
        self.imported.add(new)
        after = f"import {new}" + (f" as {ref.alias.asname}" if ref.alias.asname else "")
        self.outcomes.append(Change(ref.line, ref.col, code, "import", f"import {item.text}", after))

    def _module_uses(self, module: str, binding: Optional[str]) -> List[AttributeChain]:
        """Attribute chains that reach *module* through one import's binding."""
        uses = []
        for ref in self.refs:
            if not isinstance(ref, AttributeChain):
                continue
            if binding is None and ref.dotted == module:
                uses.append(ref)
            elif (binding is not None and ref.imported == module and isinstance(ref.node.value, ast.Name)
                  and ref.node.value.id == binding):
                uses.append(ref)
        return uses

    def _use_edits(self, uses: Sequence[AttributeChain], old: str, new: str, binding: Optional[str]) -> List[Tuple[Tuple[int, int], str]]:
        """Edits for ``m.Name`` / ``a.b.old.Name`` uses once *old* becomes *new*; raises _Refused."""
        name = binding or old.partition(".")[0]
        if uses and name in self.rebound:
            raise _Refused(f"'{name}' is also bound on line {self.rebound[name]}, so its uses cannot all be "
                           "proven to be the module; rewrite by hand")
        entry = self._deprecation(old)
        if entry is not None and entry.names and name in self.bare:
            raise _Refused(f"'{name}' is used as a value on line {self.bare[name]} (getattr, an argument...); "
                           f"the names {entry.module} moved would not follow it: rewrite by hand")
        edits = []
        for use in uses:
            if binding is None:
                edits.append((self._chain_span(use, new)))
                accessed = self._parent(use.node)
            else:
                accessed = use.node
            if accessed is None:
                continue
            name = accessed.attr
            module, moved = self._follow(old, name)
            if module != new:
                raise _Refused(f"'{old}.{name}' moved to {module}; import it from there by hand (line {accessed.lineno})")
            self._check(self.verifier.check_name(new, moved))  # type: ignore[attr-defined]
            if moved != name:
                end = self.src.offset(accessed.end_lineno, accessed.end_col_offset)  # type: ignore[arg-type]
                if self.src.text[end - len(name):end] != name:
                    raise _Refused(f"unexpected layout of '{name}' on line {accessed.lineno}")
                edits.append(((end - len(name), end), moved))
        return edits

    def _chain_span(self, use: AttributeChain, new: str) -> Tuple[Tuple[int, int], str]:
        start, end = self.src.span(use.node)
        text = self.src.text[start:end]
        suffix = use.dotted[len(use.imported):]
        if any(ch.isspace() for ch in text) or "#" in text or not text.endswith(suffix):
            raise _Refused(f"'{use.dotted}' on line {use.line} is split over lines or spaced; rewrite it by hand")
        if not new.startswith(use.imported + ".") and new != use.imported:
            raise _Refused(f"{new} is not reachable from '{use.imported}' on line {use.line}")
        return (start, end), text[: len(text) - len(suffix)] + new[len(use.imported):]

    @staticmethod
    def _check(reason: Optional[str]) -> None:
        if reason:
            raise _Refused(reason)

    # ``from old import A, B as C`` (and ``from pkg import old_module``)
    def _plan_from(self, ref: FromImport) -> None:
        node = ref.node
        entry = self._deprecation(ref.module)
        moves: List[_Move] = []
        extra: List[Tuple[Tuple[int, int], str]] = []
        block = self.block_keys.get(self.block_of.get(id(node), 0), set())
        partly_silenced: Optional[bool] = None
        for index, imported in enumerate(ref.names):
            alias = imported.alias
            if alias.name == "*":
                if entry is not None:
                    code = self._code(entry, codes.COORD001)
                    if self._enabled(code, node):
                        self._refuse(node, code, "import", "star import: the names it needs cannot be proven; import them by name",
                                     imported.line, imported.col)
                continue
            binding = alias.asname or alias.name
            sub_entry = None if entry is not None else self._deprecation(f"{ref.module}.{alias.name}")
            if entry is None and sub_entry is None:
                continue
            if entry is not None:
                moved = entry.module == ref.module and alias.name in entry.names
                code = self._code(entry, codes.COORD002 if moved else codes.COORD001)
            else:
                code = self._code(sub_entry, codes.COORD001)  # type: ignore[arg-type]
            if not self._enabled(code, node):
                continue
            if partly_silenced is None:
                partly_silenced = self._partly_silenced(ref, entry)
            if partly_silenced:
                self._refuse(node, code, "import", "a '# noqa' silences part of this statement and splitting it would "
                             "move the comment; rewrite it by hand", imported.line, imported.col)
                continue
            try:
                if entry is not None:
                    module, name = self._follow(ref.module, alias.name)
                    self._check(self.verifier.check_name(module, name))  # type: ignore[attr-defined]
                else:
                    submodule = f"{ref.module}.{alias.name}"
                    new, _ = self._follow(submodule, None)
                    module, _, name = new.rpartition(".")
                    if not module:
                        raise _Refused(f"{new} is a top-level module; write 'import {new} as {binding}' by hand")
                    self._check(self.verifier.check_module(new))  # type: ignore[attr-defined]
                    extra.extend(self._use_edits(self._module_uses(submodule, binding), submodule, new, binding))
                key = ("from", module, name, binding)
                if key in block:
                    raise _Refused(f"'{_item(name, binding)}' is already imported from {module} in the same block; "
                                   "remove this import by hand")
            except _Refused as refused:
                self._refuse(node, code, "import", refused.reason, imported.line, imported.col)
                continue
            block.add(key)
            moves.append(_Move(index, module, name, binding, code))
        if moves:
            self._rewrite_from(ref, moves, extra)

    def _rewrite_from(self, ref: FromImport, moves: List[_Move], extra: List[Tuple[Tuple[int, int], str]]) -> None:
        node = ref.node
        statement = _parse_statement(self.src, node)
        if statement is None:
            for move in moves:
                self._refuse(node, move.code, "import", "unexpected statement layout; rewrite it by hand")
            return
        by_index = {m.index: m for m in moves}
        original_module = self.src.text[statement.module[0]:statement.module[1]] if statement.module else ""
        targets = {m.module for m in moves}
        if len(moves) == len(statement.items) and len(targets) == 1 and statement.module is not None:
            self._edit(*statement.module, self._module_text(moves[0].module, node.level))
            for move in moves:
                item = statement.items[move.index]
                self._edit(item.start, item.end, _item(move.name, move.binding))
        else:
            groups: Dict[str, List[Tuple[str, List[str], Optional[str]]]] = {}
            for index, item in enumerate(statement.items):
                move = by_index.get(index)
                module_text = original_module if move is None else self._module_text(move.module, node.level)
                text = item.text if move is None else _item(move.name, move.binding)
                groups.setdefault(module_text, []).append((text, item.leading, item.trailing))
            self._edit(statement.start, statement.end, _render(statement, list(groups.items()), self.src.newline))
        for span, text in extra:
            self._edit(*span, text)
        for move in moves:
            item = statement.items[move.index]
            self.outcomes.append(Change(
                ref.names[move.index].line, ref.names[move.index].col, move.code, "import",
                f"from {original_module} import {item.text}",
                f"from {self._module_text(move.module, node.level)} import {_item(move.name, move.binding)}",
            ))

    def _module_text(self, module: str, level: int) -> str:
        """*module* as written in a ``from`` import: relative when the original was and can be."""
        if level == 0:
            return module
        base = resolve_relative(level, None, self.context.package)
        if base is None:
            return module
        if module == base:
            return "." * level
        if module.startswith(base + "."):
            return "." * level + module[len(base) + 1:]
        return module

    # ``import a.b`` ... ``a.b.old.f()``
    def _plan_chain(self, ref: AttributeChain) -> None:
        entry = self.registry.deprecations.get(ref.dotted)
        if entry is None or entry.allows(self.context.module) or len(ref.dotted) <= len(ref.imported):
            return
        if any(m == ref.dotted or m.startswith(ref.dotted + ".") for m in self.imported):
            return  # the import statement is what gets fixed (or refused)
        code = self._code(entry, codes.COORD001)
        if not self._enabled(code, ref.node):
            return
        try:
            root = _root_name(ref.node)
            if root in self.rebound:
                raise _Refused(f"'{root}' is also bound on line {self.rebound[root]}, so '{ref.dotted}' cannot be "
                               "proven to be the module; rewrite by hand")
            new, _ = self._follow(ref.dotted, None)
            self._check(self.verifier.check_module(new))  # type: ignore[attr-defined]
            parent, _, leaf = new.rpartition(".")
            reachable = any(m == new or m.startswith(new + ".") for m in self.imported)
            if not reachable and not (parent and self.verifier.binds(parent, leaf)):  # type: ignore[attr-defined]
                raise _Refused(f"{new} is not imported in this file; add 'import {new}' and rewrite by hand")
            edits = self._use_edits([ref], ref.dotted, new, None)
        except _Refused as refused:
            self._refuse(ref.node, code, "attribute", refused.reason, ref.line, ref.col)
            return
        for span, text in edits:
            self._edit(*span, text)
        self.outcomes.append(Change(ref.line, ref.col, code, "attribute", ref.dotted, new))

    # ``patch("old.X")``, ``import_module("old")``
    def _plan_string(self, ref: StringTarget) -> None:
        entry = self._deprecation(ref.resolved)
        if entry is None:
            return
        code = self._code(entry, codes.COORD005)
        if not self._enabled(code, ref.node):
            return
        try:
            rest = ref.resolved[len(entry.module):].lstrip(".")
            head, _, tail = rest.partition(".")
            if head and ref.resolved.startswith(entry.module + ".") and head in entry.names:
                module, name = self._follow(entry.module, head)
                new = ".".join(filter(None, (module, name, tail)))
            else:
                new, _ = self._follow(ref.resolved, None)
            if ref.kind == "import":
                self._check(self.verifier.check_module(new))  # type: ignore[attr-defined]
            else:
                self._check(self.verifier.check_dotted(new))  # type: ignore[attr-defined]
            value = new
            if ref.value.startswith("."):
                level = len(ref.value) - len(ref.value.lstrip("."))
                relative = ref.value[level:]
                base = ref.resolved[: len(ref.resolved) - len(relative) - 1] if relative else ref.resolved
                if not new.startswith(base + "."):
                    raise _Refused(f"{new} cannot be written relative to {base}")
                value = "." * level + new[len(base) + 1:]
            start, end = self.src.span(ref.node)
            literal = _STRING.match(self.src.text[start:end])
            if literal is None or literal.group(3) != ref.value:
                raise _Refused("the string is not a plain literal; rewrite it by hand")
        except _Refused as refused:
            self._refuse(ref.node, code, "string", refused.reason, ref.line, ref.col)
            return
        self._edit(start + len(literal.group(1)) + len(literal.group(2)), end - len(literal.group(2)), value)
        self.outcomes.append(Change(ref.line, ref.col, code, "string", repr(ref.value), repr(value)))

    # -- applying -------------------------------------------------------------------
    def apply(self) -> Tuple[str, List[Outcome]]:
        text = self.src.text
        outcomes = sorted(self.outcomes, key=lambda o: (o.line, o.col, o.code))
        spans = sorted(self.edits)
        for (a_start, a_end), (b_start, b_end) in zip(spans, spans[1:]):
            if b_start < a_end:
                line = text.count("\n", 0, b_start) + 1
                return text, [Refusal(line, 0, "", "file", "overlapping rewrites; file left unchanged")]
        for start, end in reversed(spans):
            text = text[:start] + self.edits[(start, end)] + text[end:]
        if spans:
            try:
                ast.parse(text)
            except (SyntaxError, ValueError) as exc:  # pragma: no cover - a bug, but never write it
                return self.src.text, [Refusal(1, 0, "", "file", f"the rewrite would not parse ({exc}); file left unchanged")]
        changed = [o for o in outcomes if isinstance(o, Change)]
        if changed and not spans:  # pragma: no cover - defensive
            outcomes = [o for o in outcomes if isinstance(o, Refusal)]
        return text, outcomes


def _item(name: str, binding: str) -> str:
    return name if name == binding else f"{name} as {binding}"


def _render(statement: _Statement, groups: List[Tuple[str, List[Tuple[str, List[str], Optional[str]]]]], newline: str) -> str:
    """One ``from`` statement per group, in the layout of the original."""
    parts = []
    for number, (module, items) in enumerate(groups):
        if statement.paren and statement.multiline:
            head = f"from {module} import ("
            if number == 0 and statement.open_comment:
                head += f"  {statement.open_comment}"
            lines = [head]
            for text, leading, trailing in items:
                lines.extend(statement.item_indent + comment for comment in leading)
                lines.append(f"{statement.item_indent}{text}," + (f"  {trailing}" if trailing else ""))
            if number == len(groups) - 1:
                lines.extend(statement.item_indent + comment for comment in statement.close_comments)
            lines.append(f"{statement.close_indent})")
            parts.append(newline.join(lines))
        else:
            body = ", ".join(text for text, _, _ in items)
            parts.append(f"from {module} import ({body})" if statement.paren else f"from {module} import {body}")
    joiner = "; " if statement.inline else newline + statement.indent
    return joiner.join(parts)


def _bindings(tree: ast.AST) -> Tuple[Dict[int, ast.Attribute], Dict[str, int], Dict[str, int]]:
    """In one walk: the attribute each expression is the value of (by id), the names bound
    other than by an import (first line of each), and the names used as bare values.

    A module alias that is also a parameter, an assignment target, a def or an except name
    may not be the module where it is used; one passed around as a value (``getattr(m, "X")``)
    takes its names along. Either makes rewriting its uses unprovable.
    """
    parents: Dict[int, ast.Attribute] = {}
    rebound: Dict[str, int] = {}
    bare: Dict[str, int] = {}
    for node in ast.walk(tree):  # breadth first: an attribute comes before its value
        names: List[str] = []
        if isinstance(node, ast.Attribute):
            parents[id(node.value)] = node
        elif isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                if id(node) not in parents:
                    bare.setdefault(node.id, node.lineno)
                continue
            names = [node.id]
        elif isinstance(node, ast.arg):
            names = [node.arg]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names = [node.name]
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names = [node.name]
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names = list(node.names)
        elif type(node).__name__ in ("MatchAs", "MatchStar") and getattr(node, "name", None):
            names = [node.name]  # type: ignore[attr-defined]
        for name in names:
            rebound.setdefault(name, getattr(node, "lineno", 0))
    return parents, rebound, bare


def _root_name(node: ast.expr) -> str:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else ""
