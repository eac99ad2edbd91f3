"""The flake8 adapter: options in, findings out as ``(line, col, message, type)``."""
from __future__ import annotations

import ast
import datetime
from pathlib import Path
from typing import Any, ClassVar, Iterator, Optional, Tuple

from flake8_coordination import __version__
from flake8_coordination.checker import check_tree
from flake8_coordination.codes import not_a_code, unknown_codes
from flake8_coordination.config import TYPE_CHECKING_POLICIES, ConfigError, Settings, load_settings, parse_date
from flake8_coordination.engine import context_for


class CoordinationChecker:
    """Reports COORDxxx for imports of deprecated modules and names, and facade bypasses."""

    name = "flake8-coordination"
    version = __version__

    settings: ClassVar[Optional[Settings]] = None
    today: ClassVar[datetime.date] = datetime.date.today()

    def __init__(self, tree: ast.AST, filename: str, lines: Any) -> None:
        self._tree = tree
        self._filename = filename
        self._lines = lines

    @classmethod
    def add_options(cls, parser: Any) -> None:
        parser.add_option(
            "--coordination-config", parse_from_config=True, metavar="PATH",
            help="pyproject.toml or setup.cfg holding the registry (default: the nearest one "
                 "with a [tool.flake8-coordination] section, else the built-in default)",
        )
        parser.add_option(
            "--coordination-today", parse_from_config=True, metavar="YYYY-MM-DD",
            help="the date removal deadlines are compared with (default: today)",
        )
        parser.add_option(
            "--coordination-disable", parse_from_config=True, comma_separated_list=True, default=[],
            metavar="CODES", help="COORD codes to switch off (flake8 itself rejects them in extend-ignore)",
        )
        parser.add_option(
            "--coordination-type-checking", parse_from_config=True, choices=("report", "ignore"),
            default=None, help="report imports under 'if TYPE_CHECKING:' (default) or ignore them",
        )

    @classmethod
    def parse_options(cls, options: Any) -> None:
        config = getattr(options, "coordination_config", None)
        start = _start_folder(getattr(options, "filenames", None) or [])
        try:
            settings = load_settings(Path(config) if config else None, start)
            today = options.coordination_today
            cls.today = parse_date(today) if today else datetime.date.today()
        except (ConfigError, ValueError) as exc:
            raise SystemExit(f"flake8-coordination: {exc}") from None
        disable = tuple(options.coordination_disable or ()) + settings.disable
        for code in unknown_codes(disable):
            raise SystemExit(f"flake8-coordination: --coordination-disable: {not_a_code(code)}")
        settings.disable = disable
        policy = options.coordination_type_checking
        if policy and policy not in TYPE_CHECKING_POLICIES:  # a config file value skips optparse's choices
            raise SystemExit(f"flake8-coordination: --coordination-type-checking: {policy!r} is not one of report, ignore")
        if policy:
            settings.type_checking = policy
        cls.settings = settings

    def run(self) -> Iterator[Tuple[int, int, str, type]]:
        settings = self.settings or load_settings()
        hot_lines = settings.registry.hot_lines("".join(self._lines))
        if not hot_lines:
            return
        context = context_for(self._filename, settings, self.today)
        for finding in check_tree(self._tree, context, hot_lines):
            yield finding.line, finding.col, finding.text, type(self)


def _start_folder(filenames: Any) -> Path:
    for name in filenames:
        if name not in ("-", "stdin"):
            return Path(name)
    return Path.cwd()
