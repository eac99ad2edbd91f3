"""Run one flake8 with a chosen set of third-party plugins, timing each plugin's own work.

    python benchmarks/flake8_runner.py --keep COO,I25 --timing out.json -- [flake8 args]

Every run uses the same interpreter, the same flake8, pyflakes and pycodestyle; only the
third-party tree plugins named by their entry-point prefix in ``--keep`` are loaded
(``COO`` is flake8-coordination, ``I25`` flake8-tidy-imports). The time spent inside each
kept plugin (constructor and ``run()``) is summed and written to ``--timing`` as JSON.
Use ``--jobs 1`` in the flake8 arguments so that the timing covers every file.
"""
from __future__ import annotations

import argparse
import atexit
import json
import sys
import time
from typing import Dict, List

THIRD_PARTY = {"COO": "flake8-coordination", "I25": "flake8-tidy-imports"}


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", default="", help="comma-separated entry-point names to load")
    parser.add_argument("--timing", help="write per-plugin seconds here")
    parser.add_argument("flake8_args", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    keep = {name for name in args.keep.split(",") if name}
    unknown = keep - set(THIRD_PARTY)
    if unknown:
        parser.error(f"unknown plugins: {', '.join(sorted(unknown))}")
    flake8_args = args.flake8_args[1:] if args.flake8_args[:1] == ["--"] else args.flake8_args

    from flake8.main import cli
    from flake8.plugins import finder

    original = finder._find_importlib_plugins

    def filtered():
        for plugin in original():
            name = plugin.entry_point.name
            if name in THIRD_PARTY and name not in keep:
                continue
            yield plugin

    finder._find_importlib_plugins = filtered
    spent: Dict[str, float] = {name: 0.0 for name in keep}
    for name in keep:
        _time_plugin(name, spent)
    if args.timing:
        atexit.register(_dump, args.timing, spent)
    return cli.main(flake8_args)


def _time_plugin(name: str, spent: Dict[str, float]) -> None:
    if name == "COO":
        from flake8_coordination.plugin import CoordinationChecker as cls
    else:
        from flake8_tidy_imports import ImportChecker as cls
    init, run = cls.__init__, cls.run
    clock = time.process_time  # CPU time: other load on the machine does not inflate it

    def timed_init(self, *a, **k):
        start = clock()
        init(self, *a, **k)
        spent[name] += clock() - start

    def timed_run(self):
        start = clock()
        results = list(run(self))
        spent[name] += clock() - start
        return iter(results)

    # keep the signature flake8 inspects to pass the right arguments
    timed_init.__signature__ = __import__("inspect").signature(init)
    cls.__init__, cls.run = timed_init, timed_run


def _dump(path: str, spent: Dict[str, float]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(spent, handle)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
