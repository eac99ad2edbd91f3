"""Speed of flake8-coordination against its peers, measured in one run.

    .venv/bin/python benchmarks/run.py            # full mode
    .venv/bin/python benchmarks/run.py --quick    # a subset, a few minutes
    .venv/bin/python benchmarks/run.py --only flake8,ruff --repeat 7 --save

Benchmark-only dependencies: ``pip install -e '.[bench]'`` (flake8-tidy-imports).

Every comparison runs its contestants interleaved (A B C, B C A, ...) ``--repeat`` times
and prints medians of wall time and of CPU time (user + system of the child process,
which other load on the machine disturbs less), and ratios against the baseline of the
same comparison, measured in the same run.

1. flake8: the same flake8 with pyflakes + pycodestyle only, plus flake8-coordination,
   plus flake8-tidy-imports banning the same modules (``benchmarks/flake8_runner.py``
   loads exactly the plugins asked for; ``--jobs 1``). Also the time spent inside each
   plugin, timed in-process, as a share of the whole run.
2. ``flake8-coordination check`` against ``ruff check --select TID251`` with the same
   modules in ``banned-api``.
3. registry size: 6, 1,000 and 10,000 entries, ``flake8-coordination check`` on one tree.
4. editor path: ``flake8 -`` on one very large file from stdin, with and without the plugin.
5. ``lint-imports`` with the contract types of ``flake8_coordination.contracts`` against
   import-linter's built-in ``forbidden`` contracts (when that module is installed).

Trees: CPython's ``Lib/`` of the running interpreter (without ``site-packages``) and the
RingRift ``ai-service`` folder given by ``--ringrift`` or ``RINGRIFT_AI_SERVICE`` (skipped
when absent).
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
BIN = Path(PY).parent
RUNNER = str(HERE / "flake8_runner.py")
QUICK_LIB = ("asyncio", "email", "json", "logging", "http", "distutils", "xml", "importlib")
QUICK_FLAKE8 = ("email", "json", "logging", "http")  # flake8 is slow: a smaller part in quick mode

#: six real standard-library modules, deprecated for the benchmark (module, replacement, names)
STDLIB = (
    ("imp", "importlib", {"reload": "importlib:reload", "find_module": "importlib.util:find_spec"}),
    ("optparse", "argparse", {"OptionParser": "argparse:ArgumentParser"}),
    ("asyncore", "asyncio", {}),
    ("asynchat", "asyncio", {}),
    ("distutils", "setuptools", {}),
    ("getopt", "argparse", {}),
)
DEFAULT_MODULES = "default"  # RingRift: the built-in registry


# -- trees and registries ----------------------------------------------------------
@dataclass
class Tree:
    name: str
    paths: List[str]
    exclude: List[str] = field(default_factory=list)
    registry: str = "stdlib"  # 'stdlib' (synthetic over real modules) or 'default'
    flake8_paths: Optional[List[str]] = None  # a smaller part for flake8 (None: no flake8 run)


def trees(quick: bool, ringrift: Optional[str]) -> List[Tree]:
    lib = os.path.dirname(os.__file__)
    found = []
    if quick:
        found.append(Tree("cpython-lib-subset", [os.path.join(lib, name) for name in QUICK_LIB],
                          flake8_paths=[os.path.join(lib, name) for name in QUICK_FLAKE8]))
    else:
        found.append(Tree("cpython-lib", [lib], ["site-packages"], flake8_paths=[lib]))
    if ringrift and os.path.isdir(ringrift):
        if quick:
            found.append(Tree("ringrift-app", [os.path.join(ringrift, "app")], registry=DEFAULT_MODULES))
        else:
            found.append(Tree("ringrift-ai-service", [ringrift], registry=DEFAULT_MODULES, flake8_paths=[ringrift]))
    return found


def registry_table(kind: str, size: int = 6) -> Dict[str, dict]:
    """``{module: entry}`` for the registry *kind*, padded with synthetic entries to *size*."""
    if kind == DEFAULT_MODULES:
        sys.path.insert(0, str(ROOT))
        from flake8_coordination.defaults import default_table

        return default_table()["deprecated"]
    table = {}
    for module, replacement, names in STDLIB:
        table[module] = {"replacement": replacement, "reason": "benchmark", "names": dict(names)}
    for i in range(size - len(table)):
        group = f"synth{i // 100}"
        entry = {"replacement": f"{group}.modern_mod{i}", "reason": "synthetic"}
        if i % 10 == 0:
            entry["names"] = {f"OldName{i}": f"{group}.modern_mod{i}:NewName{i}"}
        if i % 7 == 0:
            entry["removal"] = "2030-01-01"
        table[f"{group}.legacy_mod{i}"] = entry
    return table


def write_pyproject(folder: Path, deprecated: Dict[str, dict], use_default: bool) -> Path:
    lines = ["[tool.flake8-coordination]", f"use-default = {'true' if use_default else 'false'}", ""]
    if not use_default:
        for module, entry in deprecated.items():
            lines.append(f'[tool.flake8-coordination.deprecated."{module}"]')
            for key, value in entry.items():
                if key == "names":
                    continue
                lines.append(f"{key} = {_toml(value)}")
            for old, new in entry.get("names", {}).items():
                if isinstance(new, str):
                    lines.append(f'names.{old} = "{new}"')
            lines.append("")
    path = folder / "pyproject.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _toml(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(json.dumps(v) for v in value) + "]"
    return json.dumps(value)


def tidy_banned(deprecated: Dict[str, dict]) -> str:
    lines = []
    for module, entry in deprecated.items():
        use = f"use {entry['replacement']}" if entry.get("replacement") else "deprecated"
        lines.append(f"{module} = {use}")
        lines.append(f"{module}.* = {use}")
    return "\n".join(lines)


def write_ruff_config(folder: Path, deprecated: Dict[str, dict], exclude: Sequence[str],
                      registry: Optional[Path] = None) -> Path:
    """ruff.toml selecting TID251 with the banned-api table of the registry: exported by
    ``flake8-coordination ruff`` (when installed, given *registry*), else built here."""
    path = folder / "ruff.toml"
    head = [f"extend-exclude = {_toml(list(exclude))}", ""] if exclude else []
    if registry is not None:
        path.write_text("\n".join([*head, "[lint]", 'select = ["TID251"]', ""]), encoding="utf-8")
        done = subprocess.run([str(BIN / "flake8-coordination"), "ruff", "--config", str(registry),
                               "--output", str(path)], capture_output=True, text=True)
        if done.returncode == 0:
            return path
    lines = [
        "[lint]", 'select = ["TID251"]', "",
        "[lint.flake8-tidy-imports.banned-api]",
    ]
    for module, entry in deprecated.items():
        use = f"use {entry['replacement']}" if entry.get("replacement") else "deprecated"
        lines.append(f'"{module}".msg = {json.dumps(use)}')
        for old, new in entry.get("names", {}).items():
            target = new if isinstance(new, str) else new.get("replacement", "")
            lines.append(f'"{module}.{old}".msg = {json.dumps("use " + target)}')
    path.write_text("\n".join([*head, *lines]) + "\n", encoding="utf-8")
    return path


# -- measuring ---------------------------------------------------------------------
#: environment of every measured command (the registry cache goes to the work folder)
#: the children's environment; byte-code is written (the warm-up runs compile ours, as pip
#: compiled the peers' when it installed them)
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


_NOTED: set = set()


@dataclass
class Sample:
    wall: float
    cpu: float
    code: int


def measure(command: Sequence[str], stdin: Optional[bytes] = None, cwd: Optional[str] = None) -> Sample:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd, env=ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 1) and tuple(command) not in _NOTED:
        # CPython's test data has files in bad encodings or syntax: exit 2 is expected there
        _NOTED.add(tuple(command))
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
        if not all("syntax error" in line or "cannot be" in line or "encoding" in line for line in tail):
            print(f"    note: {command[0]} exited {done.returncode}: {' | '.join(tail)}", file=sys.stderr)
    return Sample(wall, cpu, done.returncode)


@dataclass
class Contestant:
    label: str
    command: List[str]
    stdin: Optional[bytes] = None
    cwd: Optional[str] = None
    after: Optional[Callable[[], Dict[str, float]]] = None  # extra numbers after each run


def compare(title: str, contestants: List[Contestant], repeat: int, results: dict) -> Dict[str, dict]:
    """Run *contestants* interleaved, *repeat* times; the first one is the baseline."""
    print(f"\n## {title}")
    samples: Dict[str, List[Sample]] = {c.label: [] for c in contestants}
    extras: Dict[str, List[Dict[str, float]]] = {c.label: [] for c in contestants}
    for c in contestants if repeat > 1 else ():  # warm the file cache, byte-code and registry caches
        measure(c.command, c.stdin, c.cwd)
    order = list(contestants)
    for round_ in range(repeat):
        for c in order[round_ % len(order):] + order[: round_ % len(order)]:
            samples[c.label].append(measure(c.command, c.stdin, c.cwd))
            if c.after:
                extras[c.label].append(c.after())
    base = contestants[0].label
    base_wall = statistics.median(s.wall for s in samples[base])
    base_cpu = statistics.median(s.cpu for s in samples[base])
    summary = {}
    print(f"  {'':42} {'wall s':>8} {'x base':>7} {'cpu s':>8} {'x base':>7}")
    for c in contestants:
        wall = statistics.median(s.wall for s in samples[c.label])
        cpu = statistics.median(s.cpu for s in samples[c.label])
        row = {"wall": wall, "cpu": cpu, "wall_ratio": wall / base_wall, "cpu_ratio": cpu / base_cpu,
               "walls": [s.wall for s in samples[c.label]], "exit": samples[c.label][-1].code}
        line = f"  {c.label:42} {wall:8.3f} {wall / base_wall:7.3f} {cpu:8.3f} {cpu / base_cpu:7.3f}"
        if extras[c.label]:
            for key in extras[c.label][0]:
                value = statistics.median(e[key] for e in extras[c.label])
                row[key] = value
                line += f"   {key} {value:.3f}"
        print(line)
        summary[c.label] = row
    results[title] = summary
    return summary


def verdict(ok: bool, text: str, verdicts: list) -> None:
    verdicts.append({"target": text, "met": ok})
    print(f"  target: {text}: {'MET' if ok else 'MISSED'}")


# -- the five benchmarks -------------------------------------------------------------
def bench_flake8(tree: Tree, work: Path, repeat: int, results: dict, verdicts: list) -> None:
    deprecated = registry_table(tree.registry)
    config = write_pyproject(work, deprecated, tree.registry == DEFAULT_MODULES)
    common = ["--isolated", "--jobs", "1", "--exit-zero", "--output-file", os.devnull]
    if tree.exclude:
        common += ["--extend-exclude", ",".join(tree.exclude)]
    timing = {name: work / f"timing-{name}.json" for name in ("COO", "I25")}

    def runner(keep: str, extra: List[str]) -> List[str]:
        out = ["--timing", str(timing[keep])] if keep else []
        return [PY, RUNNER, "--keep", keep, *out, "--", *common, *extra, *tree.flake8_paths]

    def share(name: str) -> Callable[[], Dict[str, float]]:
        return lambda: {"plugin_s": json.loads(timing[name].read_text())[name]}

    contestants = [
        Contestant("flake8 (pyflakes+pycodestyle)", runner("", [])),
        Contestant("flake8 + flake8-coordination", runner("COO", ["--coordination-config", str(config)]), after=share("COO")),
        Contestant("flake8 + flake8-tidy-imports", runner("I25", ["--banned-modules", tidy_banned(deprecated)]), after=share("I25")),
    ]
    title = f"flake8 plugin cost on {tree.name}" + (" (flake8 part)" if tree.flake8_paths != tree.paths else "")
    rows = compare(title, contestants, repeat, results)
    base, ours, tidy = (rows[c.label] for c in contestants)
    ours_share = ours["plugin_s"] / base["cpu"]
    tidy_share = tidy["plugin_s"] / base["cpu"]
    print(f"  in-process plugin time / baseline cpu: flake8-coordination {ours_share:.2%}, "
          f"flake8-tidy-imports {tidy_share:.2%}")
    results[title]["shares"] = {"COO": ours_share, "I25": tidy_share}
    verdict(ours_share <= 0.02, f"plugin adds <= 2% to flake8 on {tree.name} ({ours_share:.2%})", verdicts)
    verdict(ours["plugin_s"] < tidy["plugin_s"], f"plugin costs less than flake8-tidy-imports on {tree.name} "
            f"({ours['plugin_s']:.3f}s vs {tidy['plugin_s']:.3f}s)", verdicts)


def ours_check(config: Path, tree: Tree, extra: Sequence[str] = ()) -> List[str]:
    exclude = [arg for name in tree.exclude for arg in ("--exclude", name)]
    return [str(BIN / "flake8-coordination"), "check", "--config", str(config), "--format", "json",
            *exclude, *extra, *tree.paths]


def bench_ruff(tree: Tree, work: Path, repeat: int, results: dict, verdicts: list) -> None:
    ruff = shutil.which("ruff", path=str(BIN)) or shutil.which("ruff")
    if not ruff:
        print(f"\n## check vs ruff on {tree.name}\n  skipped: ruff is not installed")
        return
    deprecated = registry_table(tree.registry)
    config = write_pyproject(work, deprecated, tree.registry == DEFAULT_MODULES)
    ruff_config = write_ruff_config(work, deprecated, tree.exclude, config)
    contestants = [
        Contestant("ruff check --select TID251", [ruff, "check", "--no-cache", "--exit-zero", "--config",
                                                  str(ruff_config), *tree.paths]),
        Contestant("flake8-coordination check", ours_check(config, tree)),
    ]
    rows = compare(f"check vs ruff on {tree.name}", contestants, repeat, results)
    ratio = rows[contestants[1].label]["wall_ratio"]
    verdict(ratio <= 2.0, f"check within 2x of ruff wall time on {tree.name} ({ratio:.2f}x)", verdicts)


def bench_registry_size(tree: Tree, work: Path, repeat: int, results: dict, verdicts: list) -> None:
    contestants = []
    for size in (6, 1000, 10000):
        folder = work / f"size-{size}"
        folder.mkdir(exist_ok=True)
        config = write_pyproject(folder, registry_table("stdlib", size), use_default=False)
        contestants.append(Contestant(f"check, {size:,} registry entries", ours_check(config, tree)))
    rows = compare(f"registry size on {tree.name}", contestants, repeat, results)
    ratio = rows[contestants[-1].label]["wall_ratio"]
    verdict(ratio <= 1.2, f"10,000 entries <= 1.2x of 6 on {tree.name} ({ratio:.2f}x)", verdicts)


def big_file(lines_wanted: int) -> bytes:
    """Real standard-library code glued into one module, importing deprecated modules."""
    lib = Path(os.path.dirname(os.__file__))
    chunks = ["import imp\nimport optparse\nfrom getopt import getopt\n"]
    count = 3
    for path in sorted(lib.glob("*.py")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if "__future__" in text or not text.isascii():
            continue
        try:
            compile(text, str(path), "exec", flags=0x400, dont_inherit=True)  # PyCF_ONLY_AST
        except SyntaxError:
            continue
        chunks.append(text if text.endswith("\n") else text + "\n")
        count += text.count("\n")
        if count >= lines_wanted:
            break
    return "".join(chunks).encode("utf-8")


def bench_stdin(work: Path, lines: int, repeat: int, results: dict, verdicts: list) -> None:
    source = big_file(lines)
    config = write_pyproject(work, registry_table("stdlib"), use_default=False)
    n = source.count(b"\n")
    common = ["--isolated", "--exit-zero", "--output-file", os.devnull, "--stdin-display-name", "big.py"]
    timing = work / "timing-COO.json"
    contestants = [
        Contestant("flake8 - (pyflakes+pycodestyle)", [PY, RUNNER, "--keep", "", "--", *common, "-"], source),
        Contestant("flake8 - + flake8-coordination",
                   [PY, RUNNER, "--keep", "COO", "--timing", str(timing), "--", *common,
                    "--coordination-config", str(config), "-"], source,
                   after=lambda: {"plugin_s": json.loads(timing.read_text())["COO"]}),
        Contestant("flake8-coordination check -", [str(BIN / "flake8-coordination"), "check", "--config",
                                                   str(config), "--stdin-display-name", "big.py", "-"], source),
    ]
    rows = compare(f"editor path: stdin, one file of {n:,} lines", contestants, repeat, results)
    ours = rows[contestants[1].label]
    share = ours["plugin_s"] / rows[contestants[0].label]["cpu"]
    print(f"  in-process plugin time / baseline cpu: {share:.2%}")
    verdict(share <= 0.02, f"plugin adds <= 2% on the stdin path ({share:.2%})", verdicts)


def contract_configs(ringrift: str, work: Path) -> List[Tuple[str, Path]]:
    """Two ``.importlinter`` files for RingRift's ``app``: our contract types, and
    import-linter's ``forbidden`` contracts over the same modules.

    ``forbidden`` has no allow-lists, so its source modules are the top-level parts of
    ``app`` other than the one holding the deprecated modules and facades; the checks
    are of the same kind (direct imports of the same target modules), not identical.
    """
    sys.path.insert(0, str(ROOT))
    from flake8_coordination.config import load_settings

    registry = load_settings(write_pyproject(work, {}, use_default=True)).registry
    app = Path(ringrift) / "app"
    tops = sorted({
        f"app.{p.stem}" for p in app.iterdir()
        if (p.is_dir() and (p / "__init__.py").exists()) or (p.suffix == ".py" and p.stem != "__init__")
    })
    owners = {".".join(m.split(".")[:2]) for m in (*registry.deprecations, *registry.implementations)}
    sources = [t for t in tops if t not in owners]
    targets = sorted(m for m in (*registry.deprecations, *registry.implementations)
                     if (app.parent / (m.replace(".", "/") + ".py")).exists()
                     or (app.parent / m.replace(".", "/")).is_dir())
    ours = work / "ours.importlinter"
    ours.write_text("\n".join([
        "[importlinter]", "root_package = app", "contract_types =",
        "    coordination_deprecated: flake8_coordination.contracts.deprecated.DeprecatedModulesContract",
        "    coordination_facades: flake8_coordination.contracts.facade.FacadeContract", "",
        "[importlinter:contract:deprecated]", "name = deprecated", "type = coordination_deprecated",
        f"registry = {work / 'pyproject.toml'}", "unmatched_ignore_imports_alerting = none", "",
        "[importlinter:contract:facades]", "name = facades", "type = coordination_facades",
        f"registry = {work / 'pyproject.toml'}", "unmatched_ignore_imports_alerting = none", "",
    ]), encoding="utf-8")
    builtin = work / "builtin.importlinter"
    builtin.write_text("\n".join([
        "[importlinter]", "root_package = app", "",
        "[importlinter:contract:forbidden]", "name = forbidden", "type = forbidden",
        "source_modules =", *(f"    {m}" for m in sources),
        "forbidden_modules =", *(f"    {m}" for m in targets),
        "allow_indirect_imports = true", "",
    ]), encoding="utf-8")
    return [("lint-imports, built-in forbidden", builtin), ("lint-imports, coordination contracts", ours)]


def bench_contracts(ringrift: Optional[str], work: Path, repeat: int, results: dict, verdicts: list) -> None:
    title = "lint-imports: coordination contract types vs built-in forbidden (RingRift app)"
    try:
        sys.path.insert(0, str(ROOT))
        import flake8_coordination.contracts.deprecated  # noqa: F401
    except ImportError:
        print(f"\n## {title}\n  skipped: flake8_coordination.contracts is not installed")
        results[title] = "skipped: flake8_coordination.contracts not available"
        return
    if not ringrift or not os.path.isdir(os.path.join(ringrift, "app")):
        print(f"\n## {title}\n  skipped: no RingRift ai-service tree")
        results[title] = "skipped: no RingRift tree"
        return
    lint = str(BIN / "lint-imports")
    contestants = [
        Contestant(label, [lint, "--no-cache", str(path)], cwd=ringrift)
        for label, path in contract_configs(ringrift, work)
    ]
    compare(title, contestants, repeat, results)


# -- main --------------------------------------------------------------------------
def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="subset of the trees, fewer repeats")
    parser.add_argument("--repeat", type=int, help="runs per contestant (default 3 quick, 5 full)")
    parser.add_argument("--only", default="flake8,ruff,size,stdin,contracts",
                        help="comma-separated: flake8, ruff, size, stdin, contracts")
    parser.add_argument("--ringrift", default=os.environ.get("RINGRIFT_AI_SERVICE", "/work/ringrift/ai-service"),
                        help="RingRift ai-service folder (skipped when absent)")
    parser.add_argument("--save", action="store_true", help="write JSON to benchmarks/results/")
    args = parser.parse_args(argv)
    repeat = args.repeat or (3 if args.quick else 5)
    only = set(args.only.split(","))
    found = trees(args.quick, args.ringrift)
    if not os.path.isdir(args.ringrift or ""):
        print(f"skipped: RingRift ai-service not found at {args.ringrift!r}")
    print(f"# flake8-coordination benchmarks ({'quick' if args.quick else 'full'}, {repeat} runs each, "
          f"{os.cpu_count()} cpus, Python {sys.version.split()[0]})")
    results: dict = {"mode": "quick" if args.quick else "full", "repeat": repeat,
                     "python": sys.version.split()[0], "date": datetime.datetime.now().isoformat(timespec="seconds")}
    verdicts: list = []
    with tempfile.TemporaryDirectory(prefix="coord-bench-") as tmp:
        work = Path(tmp)
        ENV["FLAKE8_COORDINATION_CACHE_DIR"] = str(work / "cache")  # warmed by the first run
        for index, tree in enumerate(found):
            folder = work / f"tree{index}"
            folder.mkdir()
            print(f"\n# tree {tree.name}: {' '.join(tree.paths)} (registry: {tree.registry})")
            if "flake8" in only and tree.flake8_paths:
                bench_flake8(tree, folder, repeat, results, verdicts)
            if "ruff" in only:
                bench_ruff(tree, folder, repeat, results, verdicts)
            if "size" in only and tree.registry != DEFAULT_MODULES:
                bench_registry_size(tree, folder, repeat, results, verdicts)
        if "stdin" in only:
            bench_stdin(work, 20_000 if args.quick else 60_000, repeat, results, verdicts)
        if "contracts" in only:
            bench_contracts(args.ringrift, work, repeat, results, verdicts)
    results["targets"] = verdicts
    missed = [v["target"] for v in verdicts if not v["met"]]
    print(f"\n# {len(verdicts) - len(missed)} of {len(verdicts)} targets met")
    if args.save:
        out = HERE / "results"
        out.mkdir(exist_ok=True)
        path = out / f"{time.strftime('%Y%m%d-%H%M%S')}-{results['mode']}.json"
        path.write_text(json.dumps(results, indent=2), encoding="utf-8")
        print(f"results written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
