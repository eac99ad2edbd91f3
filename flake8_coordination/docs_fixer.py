"""Deprecated imports in documentation: code blocks, doctests and docstrings.

Pure. :func:`find_blocks` finds the Python in a Markdown or reStructuredText text (fenced
blocks labelled ``python``/``py``/``pycon`` or unlabelled ones that parse, ``code-block``
directives, ``::`` literal blocks, ``>>>`` sessions); :func:`fix_document` runs
:func:`~flake8_coordination.fixer.fix_source` on each with the same rules and safety and
splices the result back, prompts and indentation included.

Lines shown as the *old way* in a migration example are left alone: a line whose comment (or
the comment line above it) says ``old``, ``before``, ``deprecated``, ``legacy``, ``don't``,
``avoid`` or ``wrong``, every line of a block introduced by a sentence saying so, and every line
of a block right after a ``coordination: keep`` comment. ``# noqa`` works as in code.
"""
from __future__ import annotations

import ast
import difflib
import re
from dataclasses import dataclass, replace
from typing import List, Optional, Sequence, Tuple

from flake8_coordination.checker import Context, Finding, check_source
from flake8_coordination.fixer import Change, Outcome, Refusal, fix_source

PYTHON = frozenset({"python", "py", "python3", "py3", "pycon", "ipython", "ipython3", "pytb", "doctest", "testcode"})
OLD_WAY = re.compile(
    r"\b(old|before|deprecated|legacy|don'?t|do not|avoid|wrong|no longer|obsolete)\b|\u274c|\u2717|\U0001f6ab",
    re.IGNORECASE,
)
#: in the line before a block (``<!-- coordination: keep -->``, ``.. coordination: keep``)
KEEP = "coordination: keep"
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")
_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\s]*)")
_DIRECTIVE = re.compile(r"^(?P<indent>\s*)\.\.\s+(?P<name>code-block|code|sourcecode|testcode|doctest|ipython)::\s*(?P<lang>\S*)")
_DOCSTRING = re.compile(r"^([rRuU]?)(\"\"\"|'''|\"|')(.*)\2$", re.DOTALL)


@dataclass(frozen=True)
class Row:
    index: int  # 0-based line of the text
    prefix: str  # indentation and prompt kept in front of the code
    code: Optional[str]  # None for doctest output lines


@dataclass(frozen=True)
class Block:
    kind: str  # "markdown", "rst", "doctest"
    language: str  # as declared ("" when unlabelled)
    rows: Tuple[Row, ...]
    intro: str = ""  # the sentence before the block

    @property
    def line(self) -> int:
        return self.rows[0].index + 1 if self.rows else 0

    @property
    def code(self) -> str:
        return "".join(f"{row.code}\n" for row in self.rows if row.code is not None)

    @property
    def prompted(self) -> bool:
        return any(row.prefix.lstrip().startswith(">>>") for row in self.rows)


def _lines(text: str) -> List[str]:
    found = _LINE.findall(text)
    if found and found[-1] == "":
        found.pop()
    return found


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def find_blocks(text: str, flavour: str) -> List[Block]:
    """Python code blocks of *text*; *flavour* is "markdown", "rst" or "docstring"."""
    lines = [line.rstrip("\r\n") for line in _lines(text)]
    blocks: List[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        directive = _DIRECTIVE.match(line) if flavour != "markdown" else None
        if fence:
            end = _fence_end(lines, i, fence.group("fence"))
            language = fence.group("info").lower()
            if language in PYTHON or language == "":
                blocks.append(_block("markdown", language, lines, range(i + 1, end), len(fence.group("indent")), _intro(lines, i)))
            i = end + 1
        elif directive:
            end = _indented_end(lines, i, _indent(line), options=True)
            language = directive.group("lang").lower() or ("pycon" if directive.group("name") == "doctest" else "")
            start = i + 1
            while start < end and (not lines[start].strip() or lines[start].strip().startswith(":")):
                start += 1
            if language in PYTHON or language == "":
                blocks.append(_block("rst", language, lines, range(start, end), None, _intro(lines, i)))
            i = end
        elif flavour != "markdown" and _opens_literal(line, flavour) and not line.lstrip().startswith(".."):
            end = _indented_end(lines, i, _indent(line), options=False)
            start = i + 1
            while start < end and not lines[start].strip():
                start += 1
            if start < end:
                blocks.append(_block("rst", "", lines, range(start, end), None, line))
            i = max(end, i + 1)
        elif line.lstrip().startswith(">>>"):
            end = i
            while end < len(lines) and lines[end].strip():
                end += 1
            blocks.append(_block("doctest", "pycon", lines, range(i, end), None, _intro(lines, i)))
            i = end
        else:
            i += 1
    return [b for b in blocks if b.rows]


def _opens_literal(line: str, flavour: str) -> bool:
    """``Text::`` in reST; in docstrings also ``Usage:`` / ``Example:`` (Google style)."""
    stripped = line.rstrip()
    if stripped.endswith("::"):
        return True
    return flavour == "docstring" and stripped.endswith(":") and not stripped.lstrip().startswith((">>>", "..."))


def _fence_end(lines: Sequence[str], start: int, fence: str) -> int:
    closing = re.compile(r"^ {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}\s*$")
    for j in range(start + 1, len(lines)):
        if closing.match(lines[j]):
            return j
    return len(lines)


def _indented_end(lines: Sequence[str], start: int, indent: int, options: bool) -> int:
    j = start + 1
    last = start
    while j < len(lines):
        if lines[j].strip():
            if _indent(lines[j]) <= indent:
                break
            last = j
        j += 1
    return last + 1


def _intro(lines: Sequence[str], start: int) -> str:
    for j in range(start - 1, max(start - 4, -1), -1):
        if lines[j].strip():
            return lines[j]
    return ""


def _block(kind: str, language: str, lines: Sequence[str], indices: range, strip: Optional[int], intro: str) -> Block:
    content = [(j, lines[j]) for j in indices]
    while content and not content[-1][1].strip():
        content.pop()
    if strip is not None:
        content = [(j, line[min(strip, _indent(line)):]) for j, line in content]
        base = strip
    else:
        base = 0
    first = next((line for _, line in content if line.strip()), "")
    rows: List[Row] = []
    if first.lstrip().startswith(">>>"):
        in_statement = False
        for j, line in content:
            full = lines[j]
            stripped = line.lstrip()
            offset = len(full) - len(stripped)
            if stripped.startswith(">>>") or (in_statement and stripped.startswith("...")):
                prompt = stripped[:4] if stripped[3:4] == " " else stripped[:3]
                rows.append(Row(j, full[: offset + len(prompt)], stripped[len(prompt):]))
                in_statement = True
            else:
                rows.append(Row(j, full, None))
                in_statement = False
        return Block("doctest" if kind == "doctest" else kind, language or "pycon", tuple(rows), intro)
    depth = min((_indent(line) for _, line in content if line.strip()), default=0)
    for j, line in content:
        full = lines[j]
        cut = base + depth if line.strip() else len(full)
        rows.append(Row(j, full[:cut] if line.strip() else "", full[cut:] if line.strip() else ""))
    return Block(kind, language, tuple(rows), intro)


# -- fixing ---------------------------------------------------------------------
def doc_context(context: Context) -> Context:
    """Examples are read as code of no particular module."""
    return replace(context, module=None, package=None)


def protected_lines(block: Block) -> List[int]:
    """Indices (in ``block.code``) of lines shown as the old way of doing things."""
    code_rows = [row for row in block.rows if row.code is not None]
    if KEEP in block.intro or _says_old(block.intro, prose=True):
        return list(range(len(code_rows)))
    marked = set()
    heading = False  # inside a paragraph opened by an "# old way" comment line
    for number, row in enumerate(code_rows):
        line = (row.code or "").strip()
        if not line:
            heading = False
        elif line.startswith("#"):
            heading = _says_old(line)
        elif heading or _says_old(line.partition("#")[2]):
            marked.add(number)
    return sorted(_whole_statements(block.code, marked))


_CODEISH = re.compile(r"`[^`]*`|\b\w+(?:\.\w+)+\b")


def _says_old(text: str, prose: bool = False) -> bool:
    """Does *text* (a comment, or the sentence before a block) call what follows the old way?"""
    stripped = text.strip()
    if prose and (stripped.startswith((">>>", "...", "```", "~~~", "from ", "import ")) or not stripped):
        return False
    return bool(OLD_WAY.search(_CODEISH.sub(" ", stripped)))


def _whole_statements(code: str, lines: set) -> set:
    """*lines* (0-based) grown to the full top-level statements they touch."""
    if not lines:
        return lines
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return lines
    grown = set(lines)
    for statement in tree.body:
        span = set(range(statement.lineno - 1, statement.end_lineno or statement.lineno))
        if span & lines:
            grown |= span
    return grown


def _blank_statements(code: str, lines: Sequence[int]) -> Optional[str]:
    """*code* with every top-level statement touching *lines* blanked (None if it cannot be)."""
    if not lines:
        return code
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return None
    rows = code.split("\n")
    wanted = {n + 1 for n in lines}
    for statement in tree.body:
        span = set(range(statement.lineno, (statement.end_lineno or statement.lineno) + 1))
        if span & wanted:
            for number in span:
                rows[number - 1] = ""
    return "\n".join(rows)


def findings_of(block: Block, context: Context) -> List[Finding]:
    """Deprecation findings of *block*, with lines of the document (facade bypasses left out)."""
    try:
        found = check_source(block.code, doc_context(context))
    except (SyntaxError, ValueError, RecursionError):
        return []
    code_rows = [row for row in block.rows if row.code is not None]
    return [replace(f, line=code_rows[f.line - 1].index + 1) for f in found if f.code != "COORD004" and f.line <= len(code_rows)]


def fix_block(block: Block, context: Context, tree: object, starts: Sequence[int], newline: str,
              ends_with_newline: bool = True) -> Tuple[List[Tuple[int, int, str]], List[Outcome]]:
    """Edits (start, end, text) in document offsets, and outcomes with document lines."""
    code_rows = [row for row in block.rows if row.code is not None]
    code = block.code
    ctx = doc_context(context)
    if not context.registry.mentions_any(code):
        return [], []
    try:
        ast.parse(code)
    except (SyntaxError, ValueError):
        if block.language in PYTHON and any(findings_of_text(line, ctx) for line in code.splitlines()):
            return [], [Refusal(block.line, 0, "", "doc", "code block does not parse; left as is")]
        return [], []
    protected = protected_lines(block)
    fed = _blank_statements(code, protected)
    outcomes: List[Outcome] = []
    if protected:
        for finding in findings_of_text(code, ctx):
            if finding.line - 1 in protected:
                row = code_rows[finding.line - 1]
                outcomes.append(Refusal(row.index + 1, len(row.prefix) + finding.col, finding.code, "doc",
                                        "shown as the old way in a migration example; left as is"))
    if fed is None:
        return [], outcomes
    new_code, results = fix_source(fed, ctx, tree)

    def where(line: int) -> int:
        return code_rows[min(line, len(code_rows)) - 1].index + 1

    for result in results:
        if isinstance(result, Change):
            outcomes.append(replace(result, line=where(result.line), kind=f"doc-{result.kind}"))
        elif result.kind != "syntax":
            outcomes.append(replace(result, line=where(result.line), kind=f"doc-{result.kind}"))
    if new_code == fed:
        return [], outcomes
    old_lines = fed.split("\n")[:-1]
    new_lines = new_code.split("\n")[:-1]
    starts_new = _statement_starts(new_code)
    edits: List[Tuple[int, int, str]] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i1 < i2:
            indices = [code_rows[k].index for k in range(i1, i2)]
            if indices != list(range(indices[0], indices[0] + len(indices))):
                return [], [Refusal(block.line, 0, "", "doc", "the rewrite crosses doctest output; left as is")]
            start, end = starts[indices[0]], starts[indices[-1] + 1]
            template = code_rows[i1]
        else:  # pure insertion after the previous code line
            anchor = code_rows[i1 - 1].index
            start = end = starts[anchor + 1]
            template = code_rows[i1 - 1]
        text = "".join(_prefix(template, j + 1 in starts_new, block.prompted) + new_lines[j] + newline for j in range(j1, j2))
        if end == starts[-1] and not ends_with_newline:
            text = text[: len(text) - len(newline)]
            if i1 == i2:
                text = newline + text
        edits.append((start, end, text))
    return edits, outcomes


def findings_of_text(code: str, context: Context) -> List[Finding]:
    try:
        return [f for f in check_source(code, context) if f.code != "COORD004"]
    except (SyntaxError, ValueError, RecursionError):
        return []


def _prefix(template: Row, statement_start: bool, prompted: bool) -> str:
    if not prompted:
        return template.prefix
    indent = template.prefix[: len(template.prefix) - len(template.prefix.lstrip())]
    return indent + (">>> " if statement_start else "... ")


def _statement_starts(code: str) -> set:
    try:
        return {statement.lineno for statement in ast.parse(code).body}
    except (SyntaxError, ValueError):  # pragma: no cover - fix_source output always parses
        return set()


def fix_text_blocks(text: str, flavour: str, context: Context, tree: object,
                    base_line: int = 0) -> Tuple[List[Tuple[int, int, str]], List[Outcome]]:
    """Edits and outcomes for every block of *text* (document offsets, lines + *base_line*)."""
    pieces = _lines(text)
    starts = [0]
    for piece in pieces:
        starts.append(starts[-1] + len(piece))
    match = re.search(r"\r\n|\r|\n", text)
    newline = match.group() if match else "\n"
    edits: List[Tuple[int, int, str]] = []
    outcomes: List[Outcome] = []
    for block in find_blocks(text, flavour):
        block_edits, block_outcomes = fix_block(block, context, tree, starts, newline, text.endswith(("\n", "\r")))
        edits.extend(block_edits)
        outcomes.extend(replace(o, line=o.line + base_line) for o in block_outcomes)
    return edits, outcomes


def _splice(text: str, edits: List[Tuple[int, int, str]]) -> str:
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def flavour_of(path: str) -> str:
    return "rst" if path.lower().endswith((".rst", ".rest", ".txt")) else "markdown"


def docstrings(tree: ast.AST) -> List[ast.Constant]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                found.append(first.value)
    return found


def fix_document(text: str, path: str, context: Context, tree: object = None) -> Tuple[str, List[Outcome]]:
    """*text* with the Python in its documentation fixed: a Markdown/reST file, or the
    docstrings of a Python file (when *path* ends in ``.py``)."""
    if not context.registry.mentions_any(text):
        return text, []
    if not path.endswith((".py", ".pyi")):
        edits, outcomes = fix_text_blocks(text, flavour_of(path), context, tree)
        return _splice(text, edits), sorted(outcomes, key=lambda o: (o.line, o.col))
    if context.module and context.registry.deprecation_for(context.module):
        return text, []  # a wrapper's docstring documents the migration on purpose
    try:
        module = ast.parse(text)
    except (SyntaxError, ValueError) as exc:
        return text, [Refusal(getattr(exc, "lineno", 1) or 1, 0, "", "syntax", f"syntax error: {exc}")]
    from flake8_coordination.fixer import _Source

    source = _Source(text)
    edits: List[Tuple[int, int, str]] = []
    outcomes: List[Outcome] = []
    for node in docstrings(module):
        start, end = source.span(node)
        literal = _DOCSTRING.match(text[start:end])
        if literal is None or not context.registry.mentions_any(node.value):
            continue
        body_start = start + len(literal.group(1)) + len(literal.group(2))
        if literal.group(3) != node.value:
            if findings_of_text(_doc_code(node.value), doc_context(context)):
                outcomes.append(Refusal(node.lineno, node.col_offset, "", "doc", "docstring has escape sequences; left as is"))
            continue
        base_line = text.count("\n", 0, body_start) if "\n" in source.newline else node.lineno - 1
        block_edits, block_outcomes = fix_text_blocks(literal.group(3), "docstring", context, tree, base_line)
        edits.extend((s + body_start, e + body_start, r) for s, e, r in block_edits)
        outcomes.extend(block_outcomes)
    new = _splice(text, edits)
    if new != text:
        try:
            ast.parse(new)
        except (SyntaxError, ValueError) as exc:  # pragma: no cover - defensive
            return text, [Refusal(1, 0, "", "file", f"the docstring rewrite would not parse ({exc}); file left unchanged")]
    return new, sorted(outcomes, key=lambda o: (o.line, o.col))


def _doc_code(docstring: str) -> str:
    return "".join(block.code for block in find_blocks(docstring, "docstring"))
