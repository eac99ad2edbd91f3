"""The COORD codes: one table, message templates filled with the specifics."""
from __future__ import annotations

from typing import Dict

COORD001 = "COORD001"
COORD002 = "COORD002"
COORD003 = "COORD003"
COORD004 = "COORD004"
COORD005 = "COORD005"

#: code -> one-line title (the docs page for each lives in ``docs/COORDnnn.md``)
CODES: Dict[str, str] = {
    COORD001: "import of a deprecated module",
    COORD002: "import of a deprecated or renamed name",
    COORD003: "use of a deprecated module or name past its removal date",
    COORD004: "import that bypasses a facade",
    COORD005: "string reference to a deprecated module",
}


def unknown_codes(values) -> list:
    """The items of *values* that are not COORD codes (exact, upper case)."""
    return [value for value in values if value not in CODES]


def not_a_code(value: str) -> str:
    """The one wording for a value that is not a COORD code."""
    return f"{value!r} is not a COORD code ({', '.join(CODES)})"
