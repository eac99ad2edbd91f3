"""``flake8-coordination check PATH...``: the plugin's findings without flake8."""
from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path
from typing import Any, List

from flake8_coordination.codes import not_a_code, unknown_codes
from flake8_coordination.config import ConfigError, load_settings, parse_date, read_flake8_options
from flake8_coordination.engine import Run, check_paths, check_text
from flake8_coordination.files import decode_source
from flake8_coordination.output import FORMATS, finding_dict, write_findings

__all__ = ["FORMATS", "add_common", "finding_dict", "settings_from", "today_from", "write"]


def add_common(parser: argparse.ArgumentParser) -> None:
    """Options every registry-driven command shares."""
    parser.add_argument("--config", metavar="PATH", help="pyproject.toml or setup.cfg with the registry")
    parser.add_argument("--today", metavar="YYYY-MM-DD", help="date compared with removal deadlines")


def settings_from(args: argparse.Namespace, paths: List[str]) -> Any:
    """The registry for *paths*, with the ``coordination-*`` options of flake8's own
    configuration applied, so that every command agrees with the plugin."""
    start = Path(paths[0]) if paths and paths[0] != "-" else Path.cwd()
    settings = load_settings(Path(args.config) if args.config else None, start)
    options = read_flake8_options(Path.cwd())
    settings.disable = tuple(dict.fromkeys((*settings.disable, *options.get("disable", ()))))
    settings.type_checking = options.get("type-checking", settings.type_checking)
    args.flake8_today = options.get("today")
    return settings


def today_from(args: argparse.Namespace) -> datetime.date:
    """``--today``, else flake8's ``coordination-today``, else the real date."""
    if getattr(args, "today", None):
        try:
            return parse_date(args.today)
        except ValueError as exc:
            raise ConfigError("--today", "", str(exc)) from None
    return getattr(args, "flake8_today", None) or datetime.date.today()


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("check", help="report COORD findings (like the flake8 plugin)")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders; - reads stdin")
    add_common(parser)
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--disable", action="append", metavar="CODES", help="COORD codes to switch off")
    parser.add_argument("--stdin-display-name", default="stdin", metavar="NAME")
    parser.add_argument("--exclude", action="append", default=[], metavar="DIR", help="folder names to skip")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from flake8_coordination.cli import split_codes

    settings = settings_from(args, args.paths)
    today = today_from(args)
    disabled = split_codes(args.disable)
    for code in unknown_codes(disabled):
        raise ConfigError("--disable", "", not_a_code(code))
    if args.paths == ["-"]:
        source = decode_source(sys.stdin.buffer.read(), args.stdin_display_name)
        outcome = Run([check_text(source.text, args.stdin_display_name, settings, today, disabled)])
    else:
        outcome = check_paths(args.paths, settings, today, disabled, args.exclude)
    write(outcome, args.format, sys.stdout)
    for message in outcome.errors:
        print(f"flake8-coordination: error: {message}", file=sys.stderr)
    if outcome.errors:
        return 2
    return 1 if outcome.findings else 0


def write(outcome: Run, fmt: str, stream: Any) -> None:
    write_findings(outcome.findings, fmt, stream)
