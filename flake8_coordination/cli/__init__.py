"""``flake8-coordination`` command line: ``main(argv) -> exit code``.

Exit codes: 0 clean, 1 findings / changes / stale files, 2 bad input or configuration.
Each subcommand lives in a module of this package exposing ``add_parser`` and ``run``.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from typing import Any, List, Optional, Sequence

import flake8_coordination
from flake8_coordination.config import ConfigError
from flake8_coordination.files import InputError

#: subcommand -> module of this package
COMMANDS = {
    "check": "check",
    "fix": "fix",
    "contracts": "contracts",
    "ratchet": "ratchet",
    "ruff": "ruff",
    "report": "report",
    "discover": "discover",
}


class _Version(argparse.Action):
    """``--version``, which reads the installed metadata only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> None:
        print(f"{parser.prog} {flake8_coordination.__version__}")
        parser.exit()


def build_parser(only: Optional[str] = None) -> argparse.ArgumentParser:
    """The parser; with *only*, just that subcommand's (the others are not even imported)."""
    parser = argparse.ArgumentParser(
        prog="flake8-coordination",
        description="Keep a module consolidation honest: deprecated imports, facades, removal dates.",
    )
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name, module in COMMANDS.items():
        if only is None or name == only:
            importlib.import_module(f"{__name__}.{module}").add_parser(subparsers)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv[0] if argv and argv[0] in COMMANDS else None)
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except (ConfigError, InputError) as exc:
        print(f"flake8-coordination: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        sys.stderr.close()
        return 1
    except KeyboardInterrupt:  # pragma: no cover
        return 130


def error(message: str) -> int:
    print(f"flake8-coordination: error: {message}", file=sys.stderr)
    return 2


def split_codes(values: Optional[List[str]]) -> List[str]:
    codes: List[str] = []
    for value in values or []:
        codes.extend(code.strip() for code in value.split(",") if code.strip())
    return codes
