"""``# noqa`` comments, read exactly as flake8 reads them.

``# noqa`` alone, or a ``# noqa:`` whose list has no valid code (``# noqa: COORD``),
silences every code on its line; ``# noqa: COORD001,E501`` silences the codes that
start with a listed one.
"""
from __future__ import annotations

import re

#: flake8's own pattern (flake8.defaults.NOQA_INLINE_REGEXP)
NOQA = re.compile(r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?", re.IGNORECASE)
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
    return any(code.startswith(item.upper()) for item in _SEPARATOR.split(listed) if item)
