"""Sweep the checker and the fixer over every file of large real trees.

    .venv/bin/python scripts/sweep.py                       # CPython's Lib/ (+ RingRift when present)
    .venv/bin/python scripts/sweep.py PATH... [--jobs N]    # other trees
    RINGRIFT_AI_SERVICE=/path/to/ai-service .venv/bin/python scripts/sweep.py

The registry deprecates many real standard-library modules (``imp``, ``optparse``,
``distutils``, ``sre_*``, ``cgi``, ...), moves real names (``imp.reload`` ->
``importlib.reload``, ``pipes.quote`` -> ``shlex.quote``, ...) and puts a facade in front
of ``posixpath``/``ntpath``, on top of the built-in default registry. For every file:

* checking it raises no exception (files that do not parse are located errors, not crashes);
* the findings from the excerpt the check reads equal those from the whole tree, and
  with four other choices of hot lines the excerpt parses and walks like the whole tree;
* the fixer raises no exception, and every file it would rewrite still parses, is a fixed
  point (fixing the result changes nothing) and keeps at least as many comments.

Nothing is written to the trees. Exit 0 when all holds, 1 otherwise (with the details).
"""
from __future__ import annotations

import argparse
import ast
import collections
import datetime
import io
import multiprocessing
import os
import random
import re
import sys
import time
import tokenize
import traceback
from typing import Dict, List, Optional, Tuple

from flake8_coordination.checker import check_source, check_tree
from flake8_coordination.config import Settings, build_settings
from flake8_coordination.engine import check_text, context_for
from flake8_coordination.excerpt import excerpt
from flake8_coordination.files import InputError, iter_python_files, read_source
from flake8_coordination.references import iter_references

TODAY = datetime.date(2026, 1, 1)
RINGRIFT = os.environ.get("RINGRIFT_AI_SERVICE", "/work/ringrift/ai-service")


def _none(reason: str) -> dict:
    return {"reason": reason}


STDLIB_DEPRECATED: Dict[str, dict] = {
    "imp": {
        "replacement": "importlib", "reason": "removed in 3.12", "removal": "2023-10-02",
        "names": {
            "reload": "importlib:reload",
            "cache_from_source": "importlib.util:cache_from_source",
            "source_from_cache": "importlib.util:source_from_cache",
            "find_module": {"replacement": "importlib.util:find_spec", "manual": True, "note": "returns a spec"},
            "load_source": {"replacement": "importlib.machinery:SourceFileLoader", "manual": True},
            "new_module": "types:ModuleType",
        },
    },
    "optparse": {
        "replacement": "argparse", "reason": "superseded",
        "names": {"OptionParser": {"replacement": "argparse:ArgumentParser", "manual": True}},
    },
    "getopt": {"replacement": "argparse"},
    "asyncore": {"replacement": "asyncio", "removal": "2023-10-02", "names": {"loop": {"replacement": "asyncio:run", "manual": True}}},
    "asynchat": {"replacement": "asyncio", "removal": "2023-10-02"},
    "smtpd": {"replacement": "asyncio", "removal": "2023-10-02"},
    "distutils": {"replacement": "setuptools", "reason": "PEP 632", "removal": "Q4 2023"},
    "distutils.util": {"replacement": "setuptools.util",
                       "names": {"strtobool": {"replacement": "setuptools.util:strtobool", "manual": True}}},
    "distutils.spawn": {"replacement": "setuptools.spawn", "names": {"find_executable": "shutil:which"}},
    "distutils.version": {"replacement": "packaging.version",
                          "names": {"LooseVersion": "packaging.version:Version", "StrictVersion": "packaging.version:Version"}},
    "sre_compile": {"replacement": "re._compiler"},
    "sre_parse": {"replacement": "re._parser"},
    "sre_constants": {"replacement": "re._constants"},
    "pipes": {"replacement": "shlex", "names": {"quote": "shlex:quote"}},
    "cgi": {"replacement": "email.message",
            "names": {"escape": "html:escape", "parse_qs": "urllib.parse:parse_qs", "parse_qsl": "urllib.parse:parse_qsl"}},
    "xml.etree.cElementTree": {"replacement": "xml.etree.ElementTree"},
    "binhex": {"replacement": "binascii"},
    "formatter": _none("removed in 3.10"),
    "cgitb": _none("PEP 594"), "telnetlib": _none("PEP 594"), "nntplib": _none("PEP 594"),
    "uu": _none("PEP 594"), "xdrlib": _none("PEP 594"), "sndhdr": _none("PEP 594"),
    "imghdr": _none("PEP 594"), "crypt": _none("PEP 594"), "mailcap": _none("PEP 594"),
    "audioop": _none("PEP 594"), "aifc": _none("PEP 594"), "chunk": _none("PEP 594"),
    "sunau": _none("PEP 594"), "msilib": _none("PEP 594"), "nis": _none("PEP 594"),
    "spwd": _none("PEP 594"), "ossaudiodev": _none("PEP 594"),
    "tkinter.tix": _none("removed in 3.13"),
}
STDLIB_FACADES = {
    "os.path": {"fronts": ["posixpath", "ntpath", "genericpath"], "members": ["os", "posixpath", "ntpath", "genericpath"]},
    "re": {"fronts": ["re._compiler", "re._parser", "re._constants"], "members": ["re", "sre_*"]},
}


def sweep_settings() -> Settings:
    return build_settings({"deprecated": STDLIB_DEPRECATED, "facades": STDLIB_FACADES}, "sweep registry")


def comment_count(text: str) -> int:
    return sum(1 for tok in tokenize.generate_tokens(io.StringIO(text).readline) if tok.type == tokenize.COMMENT)


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


_SETTINGS: Optional[Settings] = None


def sweep_file(path: str) -> Tuple[str, Dict[str, int], List[str]]:
    """(path, counters, problems) for one file; problems are empty when all holds."""
    global _SETTINGS
    if _SETTINGS is None:
        _SETTINGS = sweep_settings()
    settings = _SETTINGS
    counts: Dict[str, int] = collections.Counter()
    problems: List[str] = []
    try:
        source = read_source(path)
    except InputError:  # a located message (bad encoding cookie, binary file), not a crash
        counts["unreadable"] += 1
        return path, counts, problems
    text = source.text
    try:
        result = check_text(text, path, settings, TODAY)
    except Exception:  # noqa: BLE001 - the point of the sweep
        return path, counts, [f"check raised:\n{traceback.format_exc()}"]
    if result.error:
        counts["located errors"] += 1
    for finding in result.findings:
        counts[finding.code] += 1
    problems.extend(_excerpt_differences(text, path, settings, counts))
    problems.extend(_excerpt_walks(text, path, counts))
    try:
        from flake8_coordination.fixer import fix_source
    except ImportError:
        return path, counts, problems
    context = context_for(path, settings, TODAY)
    try:
        fixed, outcomes = fix_source(text, context)
    except Exception:  # noqa: BLE001
        return path, counts, [f"fix raised:\n{traceback.format_exc()}"]
    counts["changes"] += sum(1 for o in outcomes if type(o).__name__ == "Change")
    counts["refusals"] += sum(1 for o in outcomes if type(o).__name__ == "Refusal")
    if fixed == text:
        return path, counts, problems
    counts["files fixed"] += 1
    if not _parses(fixed):
        problems.append("fixed text does not parse")
        return path, counts, problems
    try:
        again, _ = fix_source(fixed, context)
    except Exception:  # noqa: BLE001
        return path, counts, [f"second fix raised:\n{traceback.format_exc()}"]
    if again != fixed:
        problems.append("fix is not a fixed point")
    try:
        before, after = comment_count(text), comment_count(fixed)
    except (tokenize.TokenError, SyntaxError) as exc:
        problems.append(f"cannot tokenize: {exc}")
    else:
        if after < before:
            problems.append(f"comments dropped: {before} -> {after}")
    return path, counts, problems


def _excerpt_differences(text: str, path: str, settings: Settings, counts: Dict[str, int]) -> List[str]:
    """The check reads an excerpt of each file: it must find what the whole tree gives."""
    if not settings.registry.mentions_any(text):
        return []
    hot_lines = settings.registry.hot_lines(text)
    if not hot_lines or not _parses(text):
        return []
    counts["excerpts" if excerpt(text, hot_lines) is not None else "parsed whole"] += 1
    context = context_for(path, settings, TODAY)
    from_excerpt = check_source(text, context, path)
    from_whole = check_tree(ast.parse(text), context, hot_lines)
    if from_excerpt != from_whole:
        return [f"excerpt findings differ from the whole tree's: {sorted(set(from_excerpt) ^ set(from_whole))}"]
    return []


def _excerpt_walks(text: str, path: str, counts: Dict[str, int]) -> List[str]:
    """Whatever lines are hot, the excerpt walks like the whole tree: tried on every file
    with four choices of hot lines (those naming ``self`` or ``os``; 5, 10 and 15% of
    the lines, drawn from the file's path)."""
    try:
        whole = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    lines = text.split("\n")
    draw = random.Random(path)
    choices = [[number for number, line in enumerate(lines, 1) if re.search(r"\b(?:self|os)\b", line)]]
    choices += [sorted(draw.sample(range(1, len(lines) + 1), max(1, len(lines) * share // 20))) for share in (1, 2, 3)]
    for hot_lines in filter(None, choices):
        text_kept = excerpt(text, hot_lines)
        if text_kept is None:
            counts["excerpt unsure"] += 1
            continue
        try:
            tree = ast.parse(text_kept)
        except SyntaxError as exc:
            return [f"excerpt for hot lines {hot_lines[:5]}... does not parse: line {exc.lineno}: {exc.msg}"]
        counts["excerpt walks"] += 1
        if _reference_keys(tree, hot_lines) != _reference_keys(whole, hot_lines):
            return [f"excerpt for hot lines {hot_lines[:5]}... walks unlike the whole tree"]
    return []


def _reference_keys(tree: ast.AST, hot_lines: List[int]) -> List[tuple]:
    keys = []
    for ref in iter_references(tree, "pkg.sub", False, hot_lines):
        held = {name: value for name, value in vars(ref).items() if isinstance(value, (str, int))}
        keys.append((type(ref).__name__, *sorted(held.items())))
    return sorted(keys)


def sweep(paths: List[str], jobs: int) -> int:
    files = list(iter_python_files(paths, exclude=("site-packages",)))
    start = time.perf_counter()
    totals: Dict[str, int] = collections.Counter()
    failures: List[Tuple[str, str]] = []
    if jobs > 1:
        with multiprocessing.Pool(jobs) as pool:
            results = list(pool.imap_unordered(sweep_file, files, chunksize=16))
    else:
        results = [sweep_file(path) for path in files]
    for path, counts, problems in results:
        totals.update(counts)
        failures.extend((path, problem) for problem in problems)
    elapsed = time.perf_counter() - start
    print(f"{', '.join(paths)}: {len(files)} files in {elapsed:.1f}s")
    print("  " + ", ".join(f"{key} {value}" for key, value in sorted(totals.items())))
    for path, problem in failures:
        print(f"  FAIL {path}: {problem}")
    print(f"  {'OK' if not failures else f'{len(failures)} failures'}")
    return 1 if failures else 0


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", help="trees (default: CPython's Lib/, and RingRift's ai-service when present)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    trees = [[path] for path in args.paths]
    if not trees:
        trees = [[os.path.dirname(os.__file__)]]
        if os.path.isdir(RINGRIFT):
            trees.append([RINGRIFT])
        else:
            print(f"skipped: RingRift ai-service not found at {RINGRIFT} (set RINGRIFT_AI_SERVICE)")
    status = 0
    for tree in trees:
        status |= sweep(tree, args.jobs)
    return status


if __name__ == "__main__":
    sys.exit(main())
