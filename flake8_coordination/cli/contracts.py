"""``flake8-coordination contracts [--output PATH] [--check] [--baseline]``: the registry as
an import-linter file using the built-in contract types."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, Dict, List

from flake8_coordination.cli.check import settings_from
from flake8_coordination.config import ConfigError
from flake8_coordination.files import InputError
from flake8_coordination.importrules import TYPES, architecture, difference, read_ignores, render, root_package_of
from flake8_coordination.ratchet import write_atomic

DEFAULT_OUTPUT = "contracts/.importlinter"


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "contracts",
        help="generate the import-linter contracts file from the registry",
        description="Write the registry as import-linter contracts (layers and protected contracts per "
                    "facade, protected contracts for deprecated modules). Grandfathered imports already "
                    "in the file are kept; --baseline records today's broken imports instead.",
    )
    parser.add_argument("--output", default=DEFAULT_OUTPUT, metavar="PATH",
                        help=f"file to write or check (default: {DEFAULT_OUTPUT})")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 and show the difference when the file is stale")
    parser.add_argument("--baseline", action="store_true",
                        help="grandfather the imports that break the contracts today (ignore_imports), "
                             "read from the code under the current directory")
    parser.add_argument("--types", choices=TYPES, default="coordination",
                        help="coordination: this package's contract types read the registry when lint-imports "
                             "runs (default); builtin: only import-linter's own types, listing the modules "
                             "found under the current directory")
    parser.add_argument("--root-package", action="append", metavar="NAME",
                        help="import-linter root package (default: the first part of the registry's package)")
    parser.add_argument("--config", metavar="PATH", help="pyproject.toml or setup.cfg with the registry")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args, [])
    registry = settings.registry
    roots = args.root_package or ([root_package_of(registry)] if root_package_of(registry) else [])
    if not roots:
        raise ConfigError(registry.source, "package", "cannot tell the root package; set 'package' or pass --root-package")
    output = Path(args.output)
    existing = _read(output)
    here = _search_path(settings, roots)
    exists = None
    if args.types == "builtin":
        from flake8_coordination.importgraph import module_exists

        exists = lambda module: module_exists(module, here)  # noqa: E731
    registry_path = _source(registry.source) if settings.root is not None else None

    def build(ignores: Dict[str, List[str]]) -> Any:
        return architecture(registry, roots, ignores, args.types, exists, registry_path)

    if args.baseline:
        from flake8_coordination.importgraph import baseline, build_graph

        try:
            graph = build_graph(roots, here)
        except ValueError as exc:
            raise InputError(str(exc)) from None
        ignores: Dict[str, List[str]] = baseline(graph, build({}), registry)
    else:
        ignores = read_ignores(existing, str(output)) if existing is not None else {}
    text = render(build(ignores), _source(registry.source))
    if args.check:
        if existing is None:
            print(f"{output}: missing; run 'flake8-coordination contracts' to write it", file=sys.stderr)
            return 1
        if existing != text:
            sys.stdout.write(difference(existing, text, str(output)))
            print(f"{output}: stale; run 'flake8-coordination contracts{' --baseline' if args.baseline else ''}' "
                  "to regenerate it", file=sys.stderr)
            return 1
        return 0
    if existing != text:
        write_atomic(output, text)
    count = sum(len(items) for items in ignores.values())
    print(f"{output}: {text.count('[importlinter:contract:')} contracts, {count} grandfathered import(s)"
          + ("" if existing != text else " (unchanged)"))
    return 0


def _read(path: Path) -> Any:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read ({exc})") from None


def _source(source: str) -> str:
    if os.path.exists(source):
        return Path(os.path.relpath(source)).as_posix()
    return source


def _search_path(settings: Any, roots: List[str]) -> Path:
    """Where the root package lives: the registry's first ``src`` root holding it, else here."""
    base = settings.root or Path.cwd()
    for src in settings.src:
        folder = base / src
        if (folder / roots[0]).is_dir() or (folder / f"{roots[0]}.py").is_file():
            return folder
    return Path.cwd()
