"""``# noqa`` comments, read exactly as flake8 reads them.

``# noqa`` alone, or a ``# noqa:`` whose list has no valid code (``# noqa: COORD``),
silences every code on its line; ``# noqa: COORD001,E501`` silences the codes that
start with a listed one (case matters, as in flake8). A ``# noqa`` anywhere in a
statement that spans lines (brackets, backslashes, a multi-line string) covers all
its lines, and a line that starts with ``# flake8: noqa`` silences the whole file.
"""
from __future__ import annotations

import io
import re
import tokenize
from typing import Dict, List, Optional

#: flake8's own patterns (flake8.defaults.NOQA_INLINE_REGEXP and NOQA_FILE)
NOQA = re.compile(r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?", re.IGNORECASE)
NOQA_FILE = re.compile(r"\s*# flake8[:=]\s*noqa", re.IGNORECASE)
_SEPARATOR = re.compile(r"[,\s]+")


def suppresses(line: str, code: str) -> bool:
    """True when a ``# noqa`` comment on *line* silences *code*."""
    if "noqa" not in line.lower():
        return False
    match = NOQA.search(line)
    if match is None:
        return False
    listed = match.group("codes")
    if not listed:
        return True
    return code.startswith(tuple(item for item in _SEPARATOR.split(listed) if item))


class NoqaLines:
    """Where a file's ``# noqa`` comments are looked for, line by line, as flake8 does."""

    def __init__(self, text: str) -> None:
        # as flake8 reads them: universal newlines, so every line ends in "\n" (a lone "\r"
        # would not end a line for the tokenizer; a form feed ends none)
        self.lines: List[str] = io.StringIO(text, newline=None).readlines()
        self.ignores_file = any(NOQA_FILE.match(line) for line in self.lines)
        self._joined: Optional[Dict[int, str]] = None

    def suppresses(self, line: int, code: str) -> bool:
        """Does a ``# noqa`` silence *code* reported at the 1-based *line*?"""
        if self.ignores_file:
            return True
        text = self.joined().get(line)
        if text is None:
            text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return suppresses(text, code)

    def joined(self) -> Dict[int, str]:
        """Line number -> the lines of its statement or token run joined (flake8's
        ``FileProcessor._noqa_line_mapping``); empty when the file does not tokenize."""
        if self._joined is None:
            self._joined = {}
            try:
                tokens = list(tokenize.generate_tokens(iter(self.lines).__next__))
            except (tokenize.TokenError, SyntaxError, StopIteration):
                return self._joined
            first, last = len(self.lines) + 2, -1
            for kind, _, (start, _), (end, _), _ in tokens:
                if kind in (tokenize.ENDMARKER, tokenize.DEDENT):
                    continue
                first, last = min(first, start), max(last, end)
                if kind in (tokenize.NL, tokenize.NEWLINE):
                    text = "".join(self.lines[first - 1:last])
                    self._joined.update(dict.fromkeys(range(first, last + 1), text))
                    first, last = len(self.lines) + 2, -1
        return self._joined
