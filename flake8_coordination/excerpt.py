"""An excerpt of a module: only the statements a check can need, each in its own place.

A file that mentions a registered module usually does so in a few of its thousand
lines, yet parsing it whole is most of what checking it costs. :func:`excerpt` keeps
the logical lines that hold a hot line or the word ``import``, the compound statements
around them (header, decorators, ``elif`` / ``else`` / ``except`` / ``finally``
clauses), and a ``pass`` where a kept header would otherwise have an empty body (a
``match`` keeps its first ``case``, emptied). Every other line is left empty, so each
kept node has the line and column it has in the whole file, and walking the excerpt
finds exactly what walking the whole tree finds: references only sit in statements
that span a hot line, and every import is kept (imports bind the names that attribute
chains start from).

The logical lines are found by a lexer that knows strings (every prefix, triple
quotes, escapes), comments, brackets and backslash continuations; it works on the
whole text at once (one regular-expression split, one byte translation), and looks
at single lines only where a bracket stays open or a backslash continues. Whatever it
is not sure of gives ``None``, and the caller parses the whole file instead: an
unterminated string, unbalanced brackets, a form feed or a lone carriage return,
indentation that dedents to no enclosing level or mixes tabs and spaces, an excerpt
that does not parse and, from Python 3.12 on (where f-strings nest), an
f-string whose replacement fields hold a comment, a backslash or a string in its own
quotes.

A syntax error in a statement that is not kept goes unseen: the excerpt is not a
compiler (flake8 reports those as E999).
"""
from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right
from itertools import compress, repeat
from operator import contains, getitem, mul, not_, sub
from typing import List, Optional, Sequence, Set, Tuple

from flake8_coordination.registry import line_numbers

#: a comment, a whole string literal (its prefix, if any, stands before the match), or a
#: lone quote that starts no complete string (three quotes always open a triple-quoted
#: one, as in Python's tokenizer); one leading character class keeps it quick
_LEXEME = re.compile(
    r"""[#'"](?:
        (?<=\#)[^\r\n]*
      | (?<=')(?:''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''|(?!'')[^'\\\n]*(?:\\.[^'\\\n]*)*')
      | (?<=")(?:""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*\"\"\"|(?!"")[^"\\\n]*(?:\\.[^"\\\n]*)*")
    )?""",
    re.VERBOSE | re.DOTALL,
)
#: the same, as the one group of a pattern, so that splitting at it keeps the lexemes
_LEXEME_SPLIT = re.compile(f"({_LEXEME.pattern})", _LEXEME.flags)
_REPLACEMENT_FIELD = re.compile(r"\{\{|\}\}|[{}]|['\"#\\]")
#: marks a line that starts inside a string
_IN_STRING = "\x01"
_IN_STRING_BYTE = b"\x01"
#: the bytes that tell the line structure once strings and comments are gone: brackets
#: (as "(" and ")"), backslashes (continuations), newlines and the in-a-string mark
_STRUCTURE = bytes.maketrans(b"[{]}", b"(())")
_NOT_STRUCTURE = bytes(byte for byte in range(256) if byte not in b"()[]{}\\\n\x01")
#: statements that continue the compound statement before them at the same indentation
_CLAUSES = frozenset(("elif", "else", "except", "finally"))
#: how a logical line without code starts, once stripped (blank, or a comment)
_NOT_CODE = ("", "#")
_FIRST_WORD = re.compile(r"[ \t]*(@|\w+)")


#: f-strings are single string tokens up to Python 3.11; from 3.12 on (PEP 701) their
#: replacement fields are lexed as code, so a quote, comment or backslash there differs
_NESTED_F_STRINGS = sys.version_info >= (3, 12)
#: where an f-string (or t-string) may start: its prefix and quote, wherever they stand
_F_STRING_START = re.compile(r"(?<!\w)(?:[rRbB]?[fFtT]|[fFtT][rRbB])(?=['\"])")


class _Unsure(Exception):
    """The lexer met something it does not read exactly."""


def excerpt(source: str, hot_lines: Sequence[int]) -> Optional[str]:
    """*source* keeping only the statements that hold one of the 1-based *hot_lines* or an
    import; None when the file should be parsed whole."""
    if "\x0c" in source or _IN_STRING in source or source.count("\r") != source.count("\r\n"):
        return None
    code = _code(source)
    if code is None:
        return None
    structure = code.encode("utf-8", "surrogatepass").translate(_STRUCTURE, _NOT_STRUCTURE)
    outline = _Outline.read(source.split("\n"), structure, "\t" in source)
    if outline is None:
        return None
    return outline.render(sorted({*hot_lines, *_import_lines(source)}))


def _code(source: str) -> Optional[str]:
    """*source* without its comments and strings, each newline a string held followed by
    the in-a-string mark; None when a quote starts no complete string."""
    parts = _LEXEME_SPLIT.split(source)  # code, lexeme, code, ..., code
    lexemes = parts[1::2]
    if "'" in lexemes or '"' in lexemes:
        return None  # a quote that starts no complete string
    if _NESTED_F_STRINGS and not _f_strings_lex_alike(source):
        return None
    parts[1::2] = map(mul, repeat("\n" + _IN_STRING), map(str.count, lexemes, repeat("\n")))
    return "".join(parts)


def _import_lines(source: str) -> List[int]:
    """1-based numbers of the lines that hold ``import`` (in code or not)."""
    offsets = []
    position = source.find("import")
    while position != -1:
        offsets.append(position)
        position = source.find("import", position + 6)
    return line_numbers(source, offsets)


def _f_strings_lex_alike(source: str) -> bool:
    """Does every Python lex the f-strings of *source* as one string each? Every place
    that looks like the start of one is checked, in code or not."""
    for start in _F_STRING_START.finditer(source):
        lexeme = _LEXEME.match(source, start.end())
        try:
            _check_replacement_fields(lexeme.group() if lexeme else "")
        except _Unsure:
            return False
    return True


def _check_replacement_fields(text: str) -> None:
    """Raise unless every Python lexes the f-string *text* alike: strings in its
    replacement fields use the other quote and no backslash; no comment, no backslash."""
    depth = 0
    position = 0
    match = _REPLACEMENT_FIELD.search(text)
    while match is not None:
        token = match.group()
        position = match.end()
        if depth == 0 and token in ("{{", "}}"):
            pass  # a literal brace
        elif token[0] == "{":
            depth += len(token)
        elif token[0] == "}":
            depth -= len(token)
            if depth < 0:
                raise _Unsure
        elif depth and token in "'\"":
            end = text.find(token, position)
            if end == -1 or "\\" in text[position:end]:
                raise _Unsure
            position = end + 1
        elif depth:
            raise _Unsure  # a comment or a backslash in a replacement field
        match = _REPLACEMENT_FIELD.search(text, position)
    if depth:
        raise _Unsure


class _Outline:
    """The logical lines of a module, and how its statements nest (by indentation).

    Statements are numbered in file order; for each, ``parents`` holds the statement it
    is nested in (-1: the module), ``before`` the previous statement of the same body
    (-1: none) and ``after`` the first later statement indented no deeper (its next
    sibling when indented alike; ``len(lines)`` at the end).
    """

    def __init__(self, lines: List[str], starts: List[int], statements: List[int], indents: List[int],
                 nesting: Tuple[List[int], List[int], List[int]]):
        self.lines = lines
        self.starts = starts  # 0-based first physical line of every logical line, blank ones too
        self.statements = statements  # the starts that hold code
        self.indents = indents
        self.parents, self.before, self.after = nesting

    @classmethod
    def read(cls, lines: List[str], structure: bytes, tabs: bool = False) -> Optional["_Outline"]:
        """The outline, from the lines and what they hold of the structure; None when
        they disagree or the brackets do not balance."""
        starts = _logical_starts(structure)
        if starts is None or (starts and starts[-1] >= len(lines)):
            return None
        heads = list(map(lines.__getitem__, starts))
        codes = list(map(str.lstrip, heads, repeat(" \t\r")))
        statement = list(map(not_, map(contains, repeat(_NOT_CODE), map(getitem, codes, repeat(slice(1))))))
        statements = list(compress(starts, statement))
        if tabs:
            whitespace = [line[: len(line) - len(code)] for line, code in compress(zip(heads, codes), statement)]
            if any(" " in indent for indent in whitespace) and any("\t" in indent for indent in whitespace):
                return None  # tabs and spaces: Python may find them inconsistent (TabError)
            indents = [len(indent.expandtabs(8)) for indent in whitespace]
        else:
            indents = list(compress(map(sub, map(len, heads), map(len, codes)), statement))
        nesting = _nesting(indents)
        if nesting is None:
            return None
        return cls(lines, starts, statements, indents, nesting)

    def render(self, wanted: List[int]) -> str:
        """The excerpt keeping the statements that hold the 1-based *wanted* lines."""
        keep: Set[int] = set()
        for number in wanted:
            index = bisect_right(self.starts, number - 1) - 1
            statement = bisect_left(self.statements, self.starts[index]) if index >= 0 else len(self.statements)
            if statement < len(self.statements) and self.statements[statement] == self.starts[index]:
                self._keep(statement, keep)
        parents = {self.parents[statement] for statement in keep}
        for statement in [s for s in keep if s not in parents and self._has_body(s) and self._word(s) == "match"]:
            keep.add(statement + 1)  # a match statement needs a case: its first one, emptied
            parents.add(statement)
        lines = self.lines
        out = [""] * len(lines)
        for statement in keep:
            start = self.statements[statement]
            index = bisect_right(self.starts, start)
            end = self.starts[index] if index < len(self.starts) else len(lines)
            out[start:end] = lines[start:end]
            if statement not in parents and self._has_body(statement):
                first = lines[self.statements[statement + 1]]
                out[self.statements[statement + 1]] = first[: len(first) - len(first.lstrip(" \t"))] + "pass"
        return "\n".join(out)

    def _has_body(self, statement: int) -> bool:
        """Does an indented body follow *statement*?"""
        body = statement + 1
        return body < len(self.statements) and self.parents[body] == statement

    def _keep(self, statement: int, keep: Set[int]) -> None:
        """Keep *statement*, the compound statement it belongs to, and the ones around it."""
        while statement != -1 and statement not in keep:
            keep.update(self._compound(statement))
            statement = self.parents[statement]

    def _compound(self, statement: int) -> List[int]:
        """The statements that make one with *statement*: decorators, the header, and its
        ``elif`` / ``else`` / ``except`` / ``finally`` clauses."""
        first = last = statement
        while self.before[first] != -1 and (self._word(first) in _CLAUSES or self._word(self.before[first]) == "@"):
            first = self.before[first]
        found = [first]
        while found[-1] != last:
            found.append(self._next(found[-1]))
        following = self._next(last)
        while following != -1 and (self._word(following) in _CLAUSES or self._word(found[-1]) == "@"):
            found.append(following)
            following = self._next(following)
        return found

    def _next(self, statement: int) -> int:
        """The next statement of the same body, or -1."""
        after = self.after[statement]
        if after < len(self.indents) and self.indents[after] == self.indents[statement]:
            return after
        return -1

    def _word(self, statement: int) -> str:
        match = _FIRST_WORD.match(self.lines[self.statements[statement]])
        return match.group(1) if match else ""


def _logical_starts(structure: bytes) -> Optional[List[int]]:
    """The 0-based first physical lines of the logical lines, from the *structure* (brackets,
    backslashes, newlines and in-a-string marks); None when the brackets do not balance.

    Brackets opened and closed on one line are dropped first: most lines then hold
    nothing, and only the few that still do are looked at one by one.
    """
    while b"()" in structure:
        structure = structure.replace(b"()", b"")
    marks = structure.split(b"\n")
    free = bytearray(b"\x01") * len(marks)  # 1 where a logical line starts
    depth = 0
    previous = -1
    for number in compress(range(len(marks)), marks):
        mark = marks[number]
        if depth:  # inside brackets since the previous mark, up to this line
            free[previous + 1:number + 1] = bytes(number - previous)
        if mark[0] == _IN_STRING_BYTE[0]:
            free[number] = 0
        depth += mark.count(b"(") - mark.count(b")")
        if depth < 0:
            return None
        if mark.endswith(b"\\") and not depth:  # a backslash continues the line after it
            if number + 1 == len(marks):
                return None
            free[number + 1] = 0
        previous = number
    if depth:
        return None
    return list(compress(range(len(marks)), free))


def _nesting(indents: List[int]) -> Optional[Tuple[List[int], List[int], List[int]]]:
    """Parents, previous siblings and next statements no deeper (see :class:`_Outline`);
    None when the module starts indented or a line dedents to no enclosing level (an
    IndentationError that leaving out the lines around it would hide)."""
    count = len(indents)
    if count and indents[0]:
        return None
    parents = [-1] * count
    before = [-1] * count
    after = [count] * count
    stack: List[int] = []
    for statement, indent in enumerate(indents):
        closed = -1
        while stack and indents[stack[-1]] >= indent:
            closed = stack.pop()
            after[closed] = statement
        if closed != -1:
            if indents[closed] != indent:
                return None
            before[statement] = closed
        if stack:
            parents[statement] = stack[-1]
        stack.append(statement)
    return parents, before, after
