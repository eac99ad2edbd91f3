"""``flake8-coordination ruff``: the registry as ruff's ``flake8-tidy-imports.banned-api`` table.

Without options the table is printed. ``--output PATH`` writes it into PATH (a
``pyproject.toml`` or ``ruff.toml``; other tables and entries are kept); ``--check PATH``
exits 1 when the table in PATH is stale. See docs/ruff.md.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Optional

from flake8_coordination import ruff_export
from flake8_coordination.cli.check import add_common
from flake8_coordination.config import ConfigError, load_settings
from flake8_coordination.files import InputError, write_atomic


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("ruff", help="print, write or check ruff's banned-api table for the registry")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--output", metavar="PATH", help="write the table into PATH (pyproject.toml or ruff.toml)")
    target.add_argument("--check", metavar="PATH", help="exit 1 when the table in PATH is stale")
    parser.add_argument(
        "--per-file-ignores", action="store_true",
        help="also emit lint.extend-per-file-ignores of TID251 for allowed importers (an approximation)",
    )
    add_common(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    path: Optional[Path] = Path(args.output or args.check) if (args.output or args.check) else None
    start = path.parent if path is not None else Path.cwd()
    settings = load_settings(Path(args.config) if args.config else None, start)
    banned = ruff_export.banned_api(settings.registry)
    ignores = ruff_export.per_file_ignores(settings.registry) if args.per_file_ignores else None
    if path is None:
        sys.stdout.write(ruff_export.render(banned, "pyproject.toml", ignores))
        return 0
    if args.check:
        return _check(path, banned, ignores)
    return _write(path, banned, ignores)


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except IsADirectoryError:
        raise ConfigError(str(path), "", "is a directory, not a TOML file") from None
    except FileNotFoundError:
        raise ConfigError(str(path), "", "does not exist") from None
    except OSError as exc:
        raise ConfigError(str(path), "", f"cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(str(path), "", f"is not UTF-8 (byte {exc.start})") from None


def _check(path: Path, banned, ignores) -> int:
    try:
        data = ruff_export.parse(_read(path))
        problems = ruff_export.stale(data, path.name, banned, ignores)
    except ruff_export.TomlProblem as exc:
        raise ConfigError(str(path), exc.key, str(exc)) from None
    table = ".".join((*ruff_export.table_path(path.name), *ruff_export.BANNED_API))
    for problem in problems:
        print(f"{path}: [{table}]: {problem.target!r}: {problem.problem}")
    if problems:
        print(f"{path}: ruff's banned-api table is stale ({len(problems)} entries); "
              f"run: flake8-coordination ruff --output {path}", file=sys.stderr)
        return 1
    return 0


def _write(path: Path, banned, ignores) -> int:
    exists = path.exists()
    text = _read(path) if exists else ""
    try:
        new = ruff_export.update(text, path.name, banned, ignores)
    except ruff_export.TomlProblem as exc:
        raise ConfigError(str(path), exc.key, str(exc)) from None
    if exists and new == text:
        print(f"{path}: ruff's banned-api table is up to date", file=sys.stderr)
        return 0
    _atomic_write(path, new)
    print(f"{path}: wrote ruff's banned-api table ({len(banned)} entries)", file=sys.stderr)
    return 0


def _atomic_write(path: Path, text: str) -> None:
    try:
        write_atomic(path, text, newline="")
    except InputError as exc:
        raise ConfigError(str(path), "", str(exc).split(": ", 1)[-1]) from None
