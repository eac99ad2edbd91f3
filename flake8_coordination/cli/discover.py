"""``flake8-coordination discover PATH``: registry entries for the deprecation wrappers found."""
from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any, List, Tuple

from flake8_coordination.cli.check import settings_from
from flake8_coordination.cli.report import write_atomic
from flake8_coordination.config import Settings
from flake8_coordination.discover import Wrapper, find_wrapper, resolve, to_json, to_toml
from flake8_coordination.engine import context_for
from flake8_coordination.files import InputError, iter_python_files, read_source
from flake8_coordination.modules import is_package_file

FORMATS = ("toml", "json")


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "discover", help="find deprecation wrappers and print registry entries for them",
        description="Statically find deprecation wrappers under PATH (module-level warnings.warn with a "
                    "deprecation category, warning module __getattr__ shims, _deprecated_* modules) and "
                    "print [tool.flake8-coordination.deprecated.\"module\"] tables to paste. Never imports "
                    "the code.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to search")
    parser.add_argument("--config", metavar="PATH", help="pyproject.toml or setup.cfg with the registry")
    parser.add_argument("--format", choices=FORMATS, default="toml")
    parser.add_argument("--new", action="store_true", help="leave out modules the registry already lists")
    parser.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    parser.set_defaults(run=run)


def discover(paths: List[str], settings: Settings) -> Tuple[List[Wrapper], List[str]]:
    """Wrappers under *paths* (resolved across files) and located errors."""
    import datetime

    found: List[Wrapper] = []
    known: List[str] = []
    errors: List[str] = []
    base = Path(paths[0]) if len(paths) == 1 and os.path.isdir(paths[0]) else Path.cwd()
    for path in iter_python_files(paths):
        module = context_for(path, settings, datetime.date.today()).module
        if module is None:
            continue
        known.append(module)
        shown = os.path.relpath(path, base).replace(os.sep, "/")
        try:
            wrapper = find_wrapper(read_source(path).text, shown, module, is_package_file(path))
        except InputError as exc:
            errors.append(str(exc))
            continue
        except SyntaxError as exc:
            errors.append(f"{shown}:{exc.lineno or 0}:{exc.offset or 1}: syntax error: {exc.msg}")
            continue
        except (ValueError, RecursionError, MemoryError) as exc:
            errors.append(f"{shown}: cannot be parsed ({type(exc).__name__})")
            continue
        if wrapper is not None:
            found.append(wrapper)
    return resolve(found, known), errors


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args, args.paths)
    registry = settings.registry
    wrappers, errors = discover(args.paths, settings)
    if args.new:
        wrappers = [w for w in wrappers if w.module not in registry.deprecations]
    if args.format == "json":
        text = json.dumps(to_json(wrappers, registry), indent=2) + "\n"
    else:
        header = f"# {len(wrappers)} deprecation wrapper{'s' if len(wrappers) != 1 else ''} found; " \
                 "review, then paste into pyproject.toml\n\n"
        text = header + to_toml(wrappers, registry)
    write_atomic(args.output, text)
    for message in errors:
        print(f"flake8-coordination: warning: {message}", file=__import__("sys").stderr)
    return 0
