"""An excerpt of a module: only the statements a check can need, each in its own place.

A file that mentions a registered module usually does so in a few of its thousand
lines, yet parsing it whole is most of what checking it costs. :func:`excerpt` keeps
the logical lines that hold a hot line or the word ``import``, the compound statements
around them (header, decorators, ``elif`` / ``else`` / ``except`` / ``finally``
clauses), and a ``pass`` where a kept header would otherwise have an empty body. Every
other line is left empty, so each kept node has the line and column it has in the
whole file, and walking the excerpt finds exactly what walking the whole tree finds:
references only sit in statements that span a hot line, and every import is kept
(imports bind the names that attribute chains start from).

The logical lines are found by a lexer that knows strings (every prefix, triple
quotes, escapes), comments, brackets and backslash continuations. Whatever it is not
sure of gives ``None``, and the caller parses the whole file instead: an unterminated
string, unbalanced brackets, a form feed or a lone carriage return, an f-string whose
replacement fields hold a comment, a backslash or a string in its own quotes (Python
3.12 lexes those differently), or an excerpt that does not parse.

A syntax error in a statement that is not kept goes unseen: the excerpt is not a
compiler (flake8 reports those as E999).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import Dict, Iterator, List, Optional, Sequence, Set, Tuple

#: a comment, a whole string literal (its prefix, if any, stands before the match), or a
#: lone quote that starts no complete string; one leading character class keeps it quick
_LEXEME = re.compile(
    r"""[#'"](?:
        (?<=\#)[^\r\n]*
      | (?<=')(?:''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''|[^'\\\n]*(?:\\.[^'\\\n]*)*')
      | (?<=")(?:""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*\"\"\"|[^"\\\n]*(?:\\.[^"\\\n]*)*")
    )?""",
    re.VERBOSE | re.DOTALL,
)
_PREFIX_LETTERS = frozenset("rRuUbBfFtT")
_STRING_PREFIX = re.compile(r"(?<!\w)[rRuUbBfFtT]{1,2}\Z")
_REPLACEMENT_FIELD = re.compile(r"\{\{|\}\}|[{}]|['\"#\\]")
#: marks a line that starts inside a string
_IN_STRING = "\x01"
#: the bytes that tell the line structure once strings and comments are gone: brackets
#: (as "(" and ")"), backslashes (continuations), newlines and the in-a-string mark
_STRUCTURE = bytes.maketrans(b"[{]}", b"(())")
_NOT_STRUCTURE = bytes(byte for byte in range(256) if byte not in b"()[]{}\\\n\x01")
#: statements that continue the compound statement before them at the same indentation
_CLAUSES = frozenset(("elif", "else", "except", "finally"))
_FIRST_WORD = re.compile(r"[ \t]*(@|\w+)")


class _Unsure(Exception):
    """The lexer met something it does not read exactly."""


def excerpt(source: str, hot_lines: Sequence[int]) -> Optional[str]:
    """*source* keeping only the statements that hold one of the 1-based *hot_lines* or an
    import; None when the file should be parsed whole."""
    if "\x0c" in source or _IN_STRING in source or source.count("\r") != source.count("\r\n"):
        return None
    try:
        code = _LEXEME.sub(_blank, source)
    except _Unsure:
        return None
    marks = code.encode("utf-8", "surrogatepass").translate(_STRUCTURE, _NOT_STRUCTURE).split(b"\n")
    outline = _Outline.read(source.split("\n"), marks)
    if outline is None:
        return None
    return outline.render(sorted({*hot_lines, *_import_lines(source)}))


def _import_lines(source: str) -> Iterator[int]:
    """1-based numbers of the lines that hold ``import`` (in code or not)."""
    line = 1
    previous = 0
    position = source.find("import")
    while position != -1:
        line += source.count("\n", previous, position)
        yield line
        previous = position
        position = source.find("import", position + 6)


def _blank(match: "re.Match[str]") -> str:
    """What a lexeme leaves of itself: nothing, or a string's newlines, each followed by
    the in-a-string mark."""
    text = match.group()
    if text[0] == "#":
        return ""
    if len(text) == 1:
        raise _Unsure  # a quote that starts no complete string
    start = match.start()
    if start and match.string[start - 1] in _PREFIX_LETTERS:
        prefix = _STRING_PREFIX.search(match.string, max(0, start - 2), start)
        if prefix is not None and prefix.group().lower().strip("rb") in ("f", "t"):
            _check_replacement_fields(text)
    count = text.count("\n")
    return ("\n" + _IN_STRING) * count if count else ""


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
    """The logical lines of a module and how they nest (by indentation)."""

    def __init__(self, lines: List[str], starts: List[int], parents: Dict[int, int], children: Dict[int, List[int]]):
        self.lines = lines
        self.starts = starts  # 0-based first physical line of every logical line, blank ones too
        self.parents = parents  # statement -> the header it is nested in (-1: the module)
        self.children = children  # header (-1: the module) -> its statements, in order

    @classmethod
    def read(cls, lines: List[str], marks: List[bytes]) -> Optional["_Outline"]:
        """The outline, from the lines and what each holds of the structure; None when
        they disagree or the brackets do not balance."""
        if len(marks) != len(lines):
            return None
        starts: List[int] = []
        parents: Dict[int, int] = {}
        children: Dict[int, List[int]] = {-1: []}
        stack: List[Tuple[int, int]] = []
        depth = 0
        continued = False
        for number, mark in enumerate(marks):
            if not (depth or continued or mark.startswith(b"\x01")):
                starts.append(number)
                line = lines[number]
                code = line.lstrip(" \t")
                if code and code[0] not in "#\r":
                    indent = len(line) - len(code)
                    if "\t" in line[:indent]:
                        indent = len(line[:indent].expandtabs(8))
                    while stack and stack[-1][0] >= indent:
                        stack.pop()
                    parent = stack[-1][1] if stack else -1
                    parents[number] = parent
                    children.setdefault(parent, []).append(number)
                    stack.append((indent, number))
            if mark:
                depth += mark.count(b"(") - mark.count(b")")
                if depth < 0:
                    return None
                continued = mark.endswith(b"\\")
            else:
                continued = False
        if depth or continued:
            return None
        return cls(lines, starts, parents, children)

    def render(self, wanted: List[int]) -> str:
        """The excerpt keeping the statements that hold the 1-based *wanted* lines."""
        keep: Set[int] = set()
        for number in wanted:
            index = bisect_right(self.starts, number - 1) - 1
            if index >= 0 and self.starts[index] in self.parents:
                self._keep(self.starts[index], keep)
        lines = self.lines
        out = [""] * len(lines)
        for start in keep:
            index = bisect_right(self.starts, start)
            end = self.starts[index] if index < len(self.starts) else len(lines)
            out[start:end] = lines[start:end]
            body = self.children.get(start)
            if body and not any(child in keep for child in body):
                first = lines[body[0]]
                out[body[0]] = first[: len(first) - len(first.lstrip(" \t"))] + "pass"
        return "\n".join(out)

    def _keep(self, start: int, keep: Set[int]) -> None:
        """Keep *start*, the compound statement it belongs to, and the ones around it."""
        while start != -1 and start not in keep:
            keep.update(self._compound(start))
            start = self.parents[start]

    def _compound(self, start: int) -> List[int]:
        """The statements that make one with *start*: decorators, the header, and its
        ``elif`` / ``else`` / ``except`` / ``finally`` clauses."""
        siblings = self.children[self.parents[start]]
        first = last = siblings.index(start)
        while first > 0 and (self._word(siblings[first]) in _CLAUSES or self._word(siblings[first - 1]) == "@"):
            first -= 1
        while last + 1 < len(siblings) and (
            self._word(siblings[last + 1]) in _CLAUSES or self._word(siblings[last]) == "@"
        ):
            last += 1
        return siblings[first:last + 1]

    def _word(self, start: int) -> str:
        match = _FIRST_WORD.match(self.lines[start])
        return match.group(1) if match else ""
