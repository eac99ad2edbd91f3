"""Find deprecation wrappers statically and propose registry entries for them.

Pure: source texts in, :class:`Wrapper` records and TOML text out. A module is a
wrapper when

* a module-level statement calls ``warnings.warn(..., DeprecationWarning)`` (or
  ``PendingDeprecationWarning`` / ``FutureWarning``; ``warn`` imported under any name);
* it defines a PEP 562 module ``__getattr__`` that issues such a warning (the names it
  serves are read from the dict / set literals and ``name == "..."`` tests it uses);
* or its name starts with ``_deprecated_``.

The replacement is inferred from what the wrapper re-exports (the module it imports
most names from, within its own top-level package) or, when that is missing or itself
deprecated, from the warning text ("Use 'from X import ...'", "use X instead").
``from X import A as B`` and ``B = A`` re-exports become name moves ``B = "X:A"``.
Nothing is ever imported or executed.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from flake8_coordination.modules import package_of, resolve_relative
from flake8_coordination.registry import Registry

CATEGORIES = ("DeprecationWarning", "PendingDeprecationWarning", "FutureWarning")
_FROM_IMPORT = re.compile(r"\bfrom\s+([A-Za-z_][\w.]*)\s+import\b")
_USE = re.compile(r"\b(?:[Uu]se|[Ii]mport|[Mm]oved to|[Rr]eplaced by|[Ss]ee)\s+['\"`]?([A-Za-z_][\w.]*)")
_DOTTED = re.compile(r"\b([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)\b")
_QUARTER = re.compile(r"\b(Q[1-4])\s+(\d{4})\b")
_ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_REMOVAL_HINT = re.compile(r"remov|delet|drop", re.IGNORECASE)
_SKIP_SOURCES = {"__future__", "warnings", "typing", "typing_extensions"}


@dataclass(frozen=True)
class Wrapper:
    module: str
    path: str
    line: int
    how: str  # "warns" | "getattr" | "name"
    category: str = "DeprecationWarning"
    message: str = ""
    replacement: Optional[str] = None
    inferred_from: str = ""  # "re-export" | "message" | "shim" | ""
    names: Mapping[str, str] = field(default_factory=dict)  # old name -> "module:name"
    removal: Optional[str] = None
    shimmed: Mapping[str, Optional[str]] = field(default_factory=dict)  # __getattr__ name -> target
    thin: bool = True  # no classes and at most two functions besides the shim: a pure wrapper
    advisory: bool = False  # printed commented out: only names served by ``__getattr__`` warn


@dataclass
class _Scan:
    warns: List[Tuple[int, str, str]] = field(default_factory=list)  # line, category, message
    shim: Optional[Tuple[int, str, str]] = None
    shimmed: Dict[str, Optional[str]] = field(default_factory=dict)
    sources: Dict[str, int] = field(default_factory=dict)  # from-import module -> names imported
    bound: Dict[str, Tuple[str, str]] = field(default_factory=dict)  # local -> (module, name)
    names: Dict[str, str] = field(default_factory=dict)


# -- one module ----------------------------------------------------------------------------
def find_wrapper(source: str, path: str, module: str, is_package: bool) -> Optional[Wrapper]:
    """The wrapper record for one module, or None. SyntaxError when it does not parse."""
    if "warn" not in source and "_deprecated_" not in module:
        return None
    tree = ast.parse(source, path)
    scan = _Scan()
    package = package_of(module, is_package)
    warners, warn_functions = _warning_bindings(tree)
    for statement in _module_level(tree.body):
        if isinstance(statement, ast.ImportFrom):
            _record_import(statement, package, module, scan)
        elif isinstance(statement, ast.Assign):
            _record_alias(statement, scan)
        elif isinstance(statement, ast.Expr):
            found = _warning(statement.value, warners, warn_functions)
            if found:
                scan.warns.append((statement.lineno, *found))
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and statement.name == "__getattr__":
            for node in ast.walk(statement):
                found = _warning(node, warners, warn_functions) if isinstance(node, ast.Call) else None
                if found and scan.shim is None:
                    scan.shim = (statement.lineno, *found)
            if scan.shim is not None:
                scan.shimmed = _shimmed_names(statement, tree)
    leaf = module.rpartition(".")[2]
    if scan.warns:
        line, category, message = scan.warns[0]
        how = "warns"
    elif scan.shim is not None:
        line, category, message = scan.shim
        how = "getattr"
    elif leaf.startswith("_deprecated_"):
        line, category, message, how = 1, "DeprecationWarning", "", "name"
    else:
        return None
    definitions = [s for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                   and s.name not in ("__getattr__", "__dir__")]
    thin = not any(isinstance(s, ast.ClassDef) for s in definitions) and len(definitions) <= 2
    return Wrapper(module, path, line, how, category, message, names=dict(sorted(scan.names.items())),
                   removal=_removal(message), shimmed=scan.shimmed, thin=thin,
                   advisory=how == "getattr",
                   **_sources(scan, module))  # type: ignore[arg-type]


def _module_level(body: Sequence[ast.stmt]) -> Iterable[ast.stmt]:
    """Statements run at import: the body and the blocks of if / try / with in it."""
    for statement in body:
        yield statement
        if isinstance(statement, (ast.If, ast.With, ast.AsyncWith)):
            yield from _module_level(statement.body)
            yield from _module_level(getattr(statement, "orelse", []))
        elif isinstance(statement, ast.Try) or type(statement).__name__ == "TryStar":
            for block in (statement.body, statement.orelse, statement.finalbody):  # type: ignore[attr-defined]
                yield from _module_level(block)
            for handler in statement.handlers:  # type: ignore[attr-defined]
                yield from _module_level(handler.body)


def _warning_bindings(tree: ast.Module) -> Tuple[Set[str], Set[str]]:
    """Local names of the ``warnings`` module and of ``warnings.warn``."""
    modules, functions = {"warnings"}, set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "warnings":
                    modules.add(alias.asname or "warnings")
        elif isinstance(node, ast.ImportFrom) and node.module == "warnings" and not node.level:
            for alias in node.names:
                if alias.name == "warn":
                    functions.add(alias.asname or "warn")
    return modules, functions


def _warning(node: ast.AST, modules: Set[str], functions: Set[str]) -> Optional[Tuple[str, str]]:
    """``(category, message)`` when *node* is a deprecation ``warn`` call."""
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    is_warn = (
        isinstance(func, ast.Attribute) and func.attr == "warn" and isinstance(func.value, ast.Name)
        and func.value.id in modules
    ) or (isinstance(func, ast.Name) and func.id in functions)
    if not is_warn:
        return None
    category_node = node.args[1] if len(node.args) > 1 else None
    for keyword in node.keywords:
        if keyword.arg == "category":
            category_node = keyword.value
    category = None
    if isinstance(category_node, ast.Name):
        category = category_node.id
    elif isinstance(category_node, ast.Attribute):
        category = category_node.attr
    if category not in CATEGORIES:
        return None
    message = _text(node.args[0]) if node.args else ""
    for keyword in node.keywords:
        if keyword.arg == "message":
            message = _text(keyword.value)
    return category, message


def _text(node: ast.AST) -> str:
    """The constant text of a message (f-string placeholders become ``{...}``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_text(value) if isinstance(value, ast.Constant) else "{...}" for value in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _text(node.left) + _text(node.right)
    return ""


def _record_import(statement: ast.ImportFrom, package: Optional[str], module: str, scan: _Scan) -> None:
    source = resolve_relative(statement.level, statement.module, package)
    if source is None or source in _SKIP_SOURCES or source == module or source.startswith(module + "."):
        return
    for alias in statement.names:
        if alias.name == "*":
            scan.sources[source] = scan.sources.get(source, 0) + 1
            continue
        scan.sources[source] = scan.sources.get(source, 0) + 1
        local = alias.asname or alias.name
        scan.bound[local] = (source, alias.name)
        if alias.asname and alias.asname != alias.name:
            scan.names[alias.asname] = f"{source}:{alias.name}"


def _record_alias(statement: ast.Assign, scan: _Scan) -> None:
    """``Old = New`` where ``New`` was imported from elsewhere: a rename."""
    if not isinstance(statement.value, ast.Name) or statement.value.id not in scan.bound:
        return
    source, name = scan.bound[statement.value.id]
    for target in statement.targets:
        if isinstance(target, ast.Name) and target.id != name:
            scan.names[target.id] = f"{source}:{name}"


def _shimmed_names(function: ast.AST, tree: ast.Module) -> Dict[str, Optional[str]]:
    """Names a ``__getattr__`` shim serves, with their string targets when it maps them."""
    constants: Dict[str, ast.AST] = {}
    for statement in tree.body:
        if isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                if isinstance(target, ast.Name) and statement.value is not None:
                    constants[target.id] = statement.value
    found: Dict[str, Optional[str]] = {}

    def collect(node: Optional[ast.AST]) -> None:
        if isinstance(node, ast.Name) and node.id in constants:
            node = constants[node.id]
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    target = value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None
                    if isinstance(value, ast.Tuple) and value.elts and isinstance(value.elts[0], ast.Constant):
                        target = str(value.elts[0].value)
                    found[key.value] = target
        elif isinstance(node, (ast.Set, ast.Tuple, ast.List)):
            for element in node.elts:
                if isinstance(element, ast.Constant) and isinstance(element.value, str):
                    found.setdefault(element.value, None)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.setdefault(node.value, None)

    for node in ast.walk(function):
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], (ast.Eq, ast.In)):
            collect(node.comparators[0])
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
            collect(node.value)
    return {name: found[name] for name in sorted(found) if name.isidentifier()}


def _sources(scan: _Scan, module: str) -> Dict[str, Optional[str]]:
    top = module.split(".")[0]
    ranked = sorted(
        (source for source in scan.sources if source.split(".")[0] == top),
        key=lambda source: -scan.sources[source],
    )
    return {"replacement": ranked[0] if ranked else None, "inferred_from": "re-export" if ranked else ""}


def message_target(message: str, module: str, known: Iterable[str] = ()) -> Optional[str]:
    """The module a warning text points to: ``from X import``, ``use X``, a dotted name.

    With *known* modules, a dotted name is cut back to the longest known module
    (``use pkg.mod.Class`` -> ``pkg.mod``) and names that match no known module are skipped.
    """
    known_set = set(known)
    package = module.rpartition(".")[0]
    top = module.split(".")[0]
    candidates = [m.group(1).rstrip(".") for m in _FROM_IMPORT.finditer(message)]
    for match in _USE.finditer(message):
        word = match.group(1).rstrip(".")
        candidates.append(word if "." in word else f"{package}.{word}" if package else word)
    candidates += [m.group(1) for m in _DOTTED.finditer(message) if m.group(1).split(".")[0] == top]
    for candidate in candidates:
        found = _known_module(candidate, known_set)
        if found is None or found == module or module.startswith(found + "."):
            continue
        return found
    return None


def _known_module(candidate: str, known: Set[str]) -> Optional[str]:
    if "." not in candidate:
        return None
    if not known:
        return candidate
    parts = candidate.split(".")
    while len(parts) > 1:
        if ".".join(parts) in known:
            return ".".join(parts)
        parts.pop()
    return None


def _removal(message: str) -> Optional[str]:
    if not _REMOVAL_HINT.search(message):
        return None
    quarter = _QUARTER.search(message)
    if quarter:
        return f"{quarter.group(1)} {quarter.group(2)}"
    date = _ISO_DATE.search(message)
    return date.group(1) if date else None


# -- the whole tree ------------------------------------------------------------------------
def resolve(wrappers: Sequence[Wrapper], known_modules: Iterable[str]) -> List[Wrapper]:
    """Settle replacements across wrappers and add entries for ``__getattr__``-served submodules.

    A re-export from another deprecated module gives way to the warning text's target;
    a package ``__getattr__`` mapping ``old`` to a submodule yields an entry for
    ``package.old`` replaced like that submodule.
    """
    known = set(known_modules)
    settled: Dict[str, Wrapper] = {}
    for wrapper in wrappers:
        from_text = message_target(wrapper.message, wrapper.module, known)
        if from_text is not None:
            replacement, how = from_text, "message"
        elif wrapper.replacement is not None and wrapper.thin:
            replacement, how = wrapper.replacement, "re-export"
        else:
            replacement, how = None, ""
        settled[wrapper.module] = _replace(wrapper, replacement, how)
    for wrapper in list(settled.values()):
        if wrapper.how != "getattr" or wrapper.inferred_from == "shim":
            continue
        served_all = bool(wrapper.shimmed)
        for name, target in wrapper.shimmed.items():
            submodule = f"{wrapper.module}.{target}" if target and "." not in target else target
            if submodule not in known and not (target and target in known):
                served_all = False
                continue
            served = settled.get(submodule or "") or settled.get(target or "")
            virtual = f"{wrapper.module}.{name}"
            if virtual in settled or virtual in known:
                continue
            settled[virtual] = Wrapper(
                virtual, wrapper.path, wrapper.line, "getattr", wrapper.category, wrapper.message,
                served.replacement if served else submodule, "shim",
                dict(served.names) if served else {}, wrapper.removal or (served.removal if served else None),
            )
        if served_all:  # a package lazily serving deprecated submodules is not deprecated itself
            del settled[wrapper.module]
    return _break_cycles([settled[m] for m in sorted(settled)])


def _replace(wrapper: Wrapper, replacement: Optional[str], how: str) -> Wrapper:
    return Wrapper(wrapper.module, wrapper.path, wrapper.line, wrapper.how, wrapper.category, wrapper.message,
                   replacement if replacement != wrapper.module else None, how if replacement else "",
                   wrapper.names, wrapper.removal, wrapper.shimmed, wrapper.thin, wrapper.advisory)


def _break_cycles(wrappers: List[Wrapper]) -> List[Wrapper]:
    """Drop a replacement that would close a cycle (the registry rejects those)."""
    by_module = {w.module: w for w in wrappers}
    for wrapper in wrappers:
        seen = [wrapper.module]
        current = by_module[wrapper.module].replacement
        while current is not None and current in by_module:
            if current in seen:
                by_module[wrapper.module] = _replace(by_module[wrapper.module], None, "")
                break
            seen.append(current)
            current = by_module[current].replacement
    return [by_module[w.module] for w in wrappers]


# -- output ----------------------------------------------------------------------------------
def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _reason(message: str) -> str:
    text = " ".join(message.split())
    first = re.split(r"(?<=\.)\s", text, maxsplit=1)[0]
    return first[:160]


def to_toml(wrappers: Sequence[Wrapper], registry: Optional[Registry] = None) -> str:
    """``[tool.flake8-coordination.deprecated."module"]`` tables to paste into pyproject.toml."""
    out: List[str] = []
    for wrapper in wrappers:
        known = registry is not None and wrapper.module in registry.deprecations
        out.append(f"# {wrapper.path}:{wrapper.line}: {_evidence(wrapper)}"
                   + (" (already in the registry)" if known else ""))
        if wrapper.advisory:
            out.append("# only names served by __getattr__ warn; an entry would deprecate the whole module")
            out += [f"# {line}" for line in _entry_lines(wrapper)]
        else:
            out += _entry_lines(wrapper)
        out.append("")
    return "\n".join(out)


def _entry_lines(wrapper: Wrapper) -> List[str]:
    out: List[str] = []
    out.append(f'[tool.flake8-coordination.deprecated.{_quote(wrapper.module)}]')
    if wrapper.replacement:
        out.append(f"replacement = {_quote(wrapper.replacement)}  # from the {wrapper.inferred_from}")
    else:
        out.append("# replacement = \"...\"  # not found: fill in")
    reason = _reason(wrapper.message)
    if reason:
        out.append(f"reason = {_quote(reason)}")
    if wrapper.removal:
        out.append(f"removal = {_quote(wrapper.removal)}")
    if wrapper.category != "DeprecationWarning":
        out.append(f"category = {_quote(wrapper.category)}")
    if wrapper.names:
        pairs = ", ".join(f"{name} = {_quote(target)}" for name, target in wrapper.names.items())
        out.append(f"names = {{ {pairs} }}")
    return out


def _evidence(wrapper: Wrapper) -> str:
    if wrapper.how == "warns":
        return f"module-level warnings.warn(..., {wrapper.category})"
    if wrapper.how == "getattr":
        served = ", ".join(wrapper.shimmed) or "names"
        if wrapper.inferred_from == "shim":
            return "served by the package's __getattr__ shim"
        return f"__getattr__ warns ({wrapper.category}) for {served}"
    return "named _deprecated_*"


def to_json(wrappers: Sequence[Wrapper], registry: Optional[Registry] = None) -> List[Dict[str, object]]:
    return [
        {
            "module": w.module, "path": w.path, "line": w.line, "how": w.how, "category": w.category,
            "message": w.message, "replacement": w.replacement, "inferred_from": w.inferred_from or None,
            "names": dict(w.names), "removal": w.removal, "shimmed": dict(w.shimmed),
            "registered": registry is not None and w.module in registry.deprecations,
            "advisory": w.advisory,
        }
        for w in wrappers
    ]
