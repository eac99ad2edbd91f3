"""The burndown over git history, read straight from the object database.

Nothing is checked out and nothing is imported: one long-lived ``git cat-file --batch``
process serves every tree and blob. What makes hundreds of commits cheap:

* **per-tree results**: the counts of a folder are cached by (tree id, place); a commit
  that changes one file re-reads only the trees on that file's path, every other
  folder's counts come from the cache;
* **per-blob results**: a file's usages are cached by (blob id, module name), so a
  file is parsed once for the whole history, however many commits contain it;
* **the registry prefilter**: a blob that mentions no registered name is never parsed;
* **one process**: ``git cat-file --batch`` is started once, not once per object.

The registry is the current one (the one given on the command line) for every commit,
so the numbers of old commits answer "how many of today's deprecated usages were there".
"""
from __future__ import annotations

import datetime
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from flake8_coordination.config import Settings
from flake8_coordination.files import SKIP_DIRS, InputError, decode_source
from flake8_coordination.registry import Registry
from flake8_coordination.report import (
    DEPRECATED_CODES,
    analyze_source,
    area_of,
    areas,
    count_modules,
    package_folder,
    plural,
)

_TREE = b"40000"
_BLOBS = (b"100644", b"100755")
Counts = Dict[str, int]


@dataclass(frozen=True)
class Repository:
    git_dir: str
    prefix: str  # project folder inside the repository, "" or "a/b" (no trailing "/")


@dataclass(frozen=True)
class Commit:
    sha: str
    tree: str
    date: datetime.datetime
    subject: str


@dataclass(frozen=True)
class Point:
    """The numbers of one commit."""

    commit: Commit
    usages: int  # deprecated usages (importers that must migrate)
    by_area: Counts
    by_module: Counts
    bypasses: int
    modules: Optional[int]  # module count of the package (None when the folder is absent)
    files: Optional[int]  # every .py file of the package folder
    python_files: int  # Python files walked under the project folder
    errors: int  # files that could not be decoded or parsed


@dataclass
class Stats:
    commits: int = 0
    trees_read: int = 0
    tree_hits: int = 0
    blobs_read: int = 0
    blobs_parsed: int = 0
    blob_hits: int = 0


@dataclass
class _Folder:
    """Aggregated counts of one folder (recursively)."""

    usages: Counts = field(default_factory=dict)  # "module\0area" -> n
    bypasses: int = 0
    python_files: int = 0
    errors: int = 0

    def add(self, other: "_Folder") -> None:
        for key, value in other.usages.items():
            self.usages[key] = self.usages.get(key, 0) + value
        self.bypasses += other.bypasses
        self.python_files += other.python_files
        self.errors += other.errors


# -- git plumbing ---------------------------------------------------------------------
def _git(git_dir: Optional[str], *args: str, cwd: Optional[str] = None) -> str:
    command = ["git", *(("--git-dir", git_dir) if git_dir else ()), *args]
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, check=False)
    except OSError as exc:
        raise InputError(f"git: cannot be run ({exc.strerror or exc})") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"git {args[0]}: {message[0] if message else 'failed'}")
    return done.stdout.decode("utf-8", "replace")


def open_repository(path: Path, prefix: Optional[str] = None) -> Repository:
    """The repository holding *path* (a folder of a work tree, or a bare repository)."""
    folder = str(path if path.is_dir() else path.parent)
    try:
        bare = _git(None, "rev-parse", "--is-bare-repository", cwd=folder).strip() == "true"
        git_dir = _git(None, "rev-parse", "--absolute-git-dir", cwd=folder).strip()
        found = "" if bare else _git(None, "rev-parse", "--show-prefix", cwd=folder).strip()
    except InputError:
        raise InputError(f"{path}: not inside a git repository") from None
    if prefix is not None:
        found = prefix
    return Repository(git_dir, found.replace(os.sep, "/").strip("/"))


class ObjectReader:
    """One ``git cat-file --batch`` process answering every object request."""

    def __init__(self, git_dir: str) -> None:
        self._process = subprocess.Popen(
            ["git", "--git-dir", git_dir, "cat-file", "--batch"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )

    def read(self, sha: str) -> Tuple[str, bytes]:
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(sha.encode("ascii") + b"\n")
        stdin.flush()
        header = stdout.readline().split()
        if len(header) != 3:
            raise InputError(f"git cat-file: object {sha} is missing")
        size = int(header[2])
        data = stdout.read(size)
        stdout.read(1)  # the newline after the content
        return header[1].decode("ascii"), data

    def close(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()
        if self._process.stdout:
            self._process.stdout.close()
        self._process.wait()


def parse_tree(data: bytes, hash_size: int) -> List[Tuple[bytes, str, str]]:
    """``(mode, name, sha)`` entries of a raw tree object."""
    entries = []
    index, end = 0, len(data)
    while index < end:
        space = data.index(b" ", index)
        nul = data.index(b"\0", space)
        sha = data[nul + 1: nul + 1 + hash_size].hex()
        entries.append((data[index:space], data[space + 1: nul].decode("utf-8", "surrogateescape"), sha))
        index = nul + 1 + hash_size
    return entries


# -- the walker ---------------------------------------------------------------------
class HistoryWalker:
    """Numbers per commit for one repository, project folder and registry."""

    def __init__(self, repository: Repository, settings: Settings, today: datetime.date, jobs: int = 1) -> None:
        self.repository = repository
        self.jobs = max(1, jobs)
        self._pool: Any = None
        self.registry = settings.registry
        self._skip_type_checking = settings.type_checking == "ignore"
        self._src = {src.strip("/") for src in settings.src}
        self.today = today
        self.stats = Stats()
        fmt = "sha1"
        try:
            fmt = _git(repository.git_dir, "rev-parse", "--show-object-format").strip() or "sha1"
        except InputError:
            pass
        self._hash_size = 32 if fmt == "sha256" else 20
        self._reader = ObjectReader(repository.git_dir)
        self._trees: Dict[str, List[Tuple[bytes, str, str]]] = {}
        self._folders: Dict[Tuple[str, str, Optional[Tuple[str, ...]], bool], _Folder] = {}
        self._blobs: Dict[Tuple[str, Optional[str], bool], Tuple[Counts, int, int]] = {}
        self._counts: Dict[str, Tuple[int, int]] = {}
        self._top = self.registry.package.split(".")[0] if self.registry.package else None

    def __enter__(self) -> "HistoryWalker":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:  # first: forked workers hold the cat-file pipe open
            self._pool.shutdown()
            self._pool = None
        self._reader.close()

    # -- commits --
    def commits(self, rev_range: str = "HEAD", since: Optional[str] = None, until: Optional[str] = None,
                touching: Optional[str] = None, first_parent: bool = False) -> List[Commit]:
        """Commits of *rev_range*, oldest first."""
        args = ["log", "--reverse", "--format=%H%x1f%T%x1f%cI%x1f%s%x1e"]
        if first_parent:
            args.append("--first-parent")
        if since:
            args.append(f"--since={since}")
        if until:
            args.append(f"--until={until}")
        if rev_range.startswith("-"):
            raise InputError(f"{rev_range}: not a revision range")
        args += [rev_range, "--"]
        if touching:
            args.append(self._join(touching.replace(os.sep, "/").strip("/")))
        output = _git(self.repository.git_dir, *args)
        commits = []
        for record in output.split("\x1e"):
            record = record.strip("\n")
            if not record:
                continue
            sha, tree, date, subject = record.split("\x1f", 3)
            commits.append(Commit(sha, tree, datetime.datetime.fromisoformat(date), subject))
        return commits

    def _join(self, path: str) -> str:
        return "/".join(part for part in (self.repository.prefix, path) if part)

    # -- one commit --
    def point(self, commit: Commit) -> Point:
        self.stats.commits += 1
        project = self._subtree(commit.tree, self.repository.prefix)
        if project is not None and self.jobs > 1:
            self._prefetch(project)
        folder = _Folder() if project is None else self._folder(project, "", None, False)
        by_area: Counts = {area: 0 for area in areas(self._top)}
        by_module: Counts = {}
        for key, value in folder.usages.items():
            module, _, area = key.partition("\0")
            by_area[area] = by_area.get(area, 0) + value
            by_module[module] = by_module.get(module, 0) + value
        modules = files = None
        if project is not None and self.registry.package:
            package_tree = self._package_tree(project)
            if package_tree is not None:
                files, modules = self._count(package_tree)
        return Point(commit, sum(by_module.values()), by_area, dict(sorted(by_module.items())),
                     folder.bypasses, modules, files, folder.python_files, folder.errors)

    def _subtree(self, tree: str, path: str) -> Optional[str]:
        for part in filter(None, path.split("/")):
            match = [sha for mode, name, sha in self._entries(tree) if name == part and mode == _TREE]
            if not match:
                return None
            tree = match[0]
        return tree

    def _package_tree(self, project: str) -> Optional[str]:
        relative = package_folder(self.registry.package or "")
        for base in ("", *sorted(self._src)):
            found = self._subtree(project, f"{base}/{relative}" if base else relative)
            if found is not None:
                return found
        return None

    def _entries(self, tree: str) -> List[Tuple[bytes, str, str]]:
        entries = self._trees.get(tree)
        if entries is None:
            kind, data = self._reader.read(tree)
            if kind != "tree":
                raise InputError(f"git cat-file: {tree} is a {kind}, not a tree")
            entries = self._trees[tree] = parse_tree(data, self._hash_size)
            self.stats.trees_read += 1
        return entries

    def _children(self, tree: str, path: str, parent: Optional[Tuple[str, ...]], src_mode: bool):
        """The sub-folders and Python files of one folder, with module names worked out."""
        entries = self._entries(tree)
        names = {name for mode, name, _ in entries if mode in _BLOBS}
        name = path.rpartition("/")[2]
        if path and path in self._src:
            parts: Optional[Tuple[str, ...]] = ()
            src_mode = True
        elif src_mode:
            parts = (*(parent or ()), name)
        elif "__init__.py" in names or "__init__.pyi" in names:
            parts = (*(parent or ()), name) if path else ()
        else:
            parts = None
        for mode, entry, sha in entries:
            child = f"{path}/{entry}" if path else entry
            if mode == _TREE:
                if entry not in SKIP_DIRS and not entry.endswith(".egg-info"):
                    yield True, sha, child, parts, src_mode
            elif mode in _BLOBS and entry.endswith((".py", ".pyi")):
                stem = entry.rpartition(".")[0]
                yield False, sha, child, _module(parts, stem), stem == "__init__"

    def _folder(self, tree: str, path: str, parent: Optional[Tuple[str, ...]], src_mode: bool) -> _Folder:
        key = (tree, path, parent, src_mode)
        cached = self._folders.get(key)
        if cached is not None:
            self.stats.tree_hits += 1
            return cached
        result = _Folder()
        for is_tree, sha, child, extra, flag in self._children(tree, path, parent, src_mode):
            if is_tree:
                result.add(self._folder(sha, child, extra, flag))
                continue
            result.python_files += 1
            counts, bypasses, errors = self._blob(sha, child, extra, flag)
            result.bypasses += bypasses
            result.errors += errors
            area = area_of(child, self._top)
            for module, value in counts.items():
                slot = f"{module}\0{area}"
                result.usages[slot] = result.usages.get(slot, 0) + value
        self._folders[key] = result
        return result

    def _pending(self, tree: str, path: str, parent: Optional[Tuple[str, ...]], src_mode: bool,
                 found: Dict[Tuple[str, Optional[str], bool], str]) -> None:
        """Blobs the next :meth:`_folder` walk would have to analyse (for the pool)."""
        if (tree, path, parent, src_mode) in self._folders:
            return
        for is_tree, sha, child, extra, flag in self._children(tree, path, parent, src_mode):
            if is_tree:
                self._pending(sha, child, extra, flag, found)
            elif (sha, extra, flag) not in self._blobs:
                found.setdefault((sha, extra, flag), child)

    def _blob(self, sha: str, path: str, module: Optional[str], is_package: bool) -> Tuple[Counts, int, int]:
        key = (sha, module, is_package)
        cached = self._blobs.get(key)
        if cached is not None:
            self.stats.blob_hits += 1
            return cached
        _, raw = self._reader.read(sha)
        self.stats.blobs_read += 1
        counts, bypasses, errors, parsed = analyze_blob(raw, path, module, is_package, self.registry, self.today,
                                                        self._skip_type_checking)
        self.stats.blobs_parsed += parsed
        result = self._blobs[key] = (counts, bypasses, errors)
        return result

    def _prefetch(self, project: str) -> None:
        """Analyse the commit's new blobs in worker processes before the walk."""
        found: Dict[Tuple[str, Optional[str], bool], str] = {}
        self._pending(project, "", None, False, found)
        if len(found) < 2:
            return
        jobs = []
        for (sha, module, is_package), path in found.items():
            _, raw = self._reader.read(sha)
            self.stats.blobs_read += 1
            jobs.append((raw, path, module, is_package))
        pool = self._pool_instance()
        for key, (counts, bypasses, errors, parsed) in zip(found, pool.map(_job, jobs, chunksize=4)):
            self.stats.blobs_parsed += parsed
            self._blobs[key] = (counts, bypasses, errors)

    def _pool_instance(self):
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(
                self.jobs, initializer=_init_worker,
                initargs=(self.registry, self.today, self._skip_type_checking),
            )
        return self._pool

    def _count(self, tree: str) -> Tuple[int, int]:
        cached = self._counts.get(tree)
        if cached is None:
            paths = list(self._package_paths(tree, ""))
            count = count_modules(paths, self.registry.package or "", self.registry)
            cached = self._counts[tree] = (count.files, count.modules)
        return cached

    def _package_paths(self, tree: str, path: str) -> List[str]:
        found = []
        for mode, name, sha in self._entries(tree):
            child = f"{path}/{name}" if path else name
            if mode == _TREE and name not in SKIP_DIRS:
                found += self._package_paths(sha, child)
            elif mode in _BLOBS and name.endswith(".py"):
                found.append(child)
        return found


def analyze_blob(raw: bytes, path: str, module: Optional[str], is_package: bool, registry: Registry,
                 today: datetime.date, skip_type_checking: bool) -> Tuple[Counts, int, int, int]:
    """``(usages per deprecated module, bypasses, errors, parsed)`` of one file version."""
    counts: Counts = {}
    bypasses = errors = parsed = 0
    try:
        text = decode_source(raw, path).text
        if registry.hot_lines(text):
            parsed = 1
            for usage in analyze_source(text, path, module, is_package, registry, None, today, skip_type_checking):
                if usage.code in DEPRECATED_CODES:
                    counts[usage.module] = counts.get(usage.module, 0) + 1
                else:
                    bypasses += 1
    except (InputError, SyntaxError, ValueError, RecursionError, MemoryError):
        errors = 1
    return counts, bypasses, errors, parsed


_WORKER: Dict[str, Any] = {}


def _init_worker(registry: Registry, today: datetime.date, skip_type_checking: bool) -> None:
    _WORKER.update(registry=registry, today=today, skip=skip_type_checking)


def _job(job: Tuple[bytes, str, Optional[str], bool]) -> Tuple[Counts, int, int, int]:
    raw, path, module, is_package = job
    return analyze_blob(raw, path, module, is_package, _WORKER["registry"], _WORKER["today"], _WORKER["skip"])


def _module(parts: Optional[Tuple[str, ...]], stem: str) -> Optional[str]:
    names = list(parts or ())
    if stem != "__init__":
        names.append(stem)
    if not names or not all(name.isidentifier() for name in names):
        return None
    return ".".join(names)


# -- output -------------------------------------------------------------------------
def to_json(points: List[Point], repository: Repository, stats: Stats, elapsed: Optional[float]) -> Dict[str, Any]:
    data: Dict[str, Any] = {
        "prefix": repository.prefix,
        "commits": [
            {
                "commit": p.commit.sha,
                "date": p.commit.date.isoformat(),
                "subject": p.commit.subject,
                "usages": p.usages,
                "by_area": p.by_area,
                "by_module": p.by_module,
                "bypasses": p.bypasses,
                "modules": p.modules,
                "files": p.files,
                "python_files": p.python_files,
                "errors": p.errors,
            }
            for p in points
        ],
        "stats": {
            "commits": stats.commits, "trees_read": stats.trees_read, "tree_hits": stats.tree_hits,
            "blobs_read": stats.blobs_read, "blobs_parsed": stats.blobs_parsed, "blob_hits": stats.blob_hits,
        },
    }
    if elapsed is not None:
        data["elapsed_seconds"] = round(elapsed, 3)
    return data


def _cell(value: Optional[int]) -> str:
    return "—" if value is None else str(value)


def to_markdown(points: List[Point], repository: Repository, stats: Stats, elapsed: Optional[float],
                target: Optional[int]) -> str:
    where = f"`{repository.prefix}/`" if repository.prefix else "the repository root"
    out = ["# Consolidation burndown", ""]
    if not points:
        return "\n".join(out + [f"No commits to walk in {where}.", ""])
    first, last = points[0], points[-1]
    out.append(f"{plural(len(points), 'commit')} of {where}, {first.commit.date.date().isoformat()} to "
               f"{last.commit.date.date().isoformat()}: deprecated usages {first.usages} → {last.usages}, "
               f"facade bypasses {first.bypasses} → {last.bypasses}, modules {_cell(first.modules)} → "
               f"{_cell(last.modules)}" + (f" (target {target})." if target is not None else "."))
    out.append("")
    if elapsed is not None:
        out.append(f"Walked in {elapsed:.2f} s: {stats.trees_read} trees and {stats.blobs_read} blobs read, "
                   f"{stats.blobs_parsed} parsed, {stats.blob_hits} file results and {stats.tree_hits} folder "
                   f"results reused.")
        out.append("")
    names = list(first.by_area)
    out.append("| commit | date | usages | Δ | " + " | ".join(names) + " | bypasses | modules | subject |")
    out.append("|---|---|---:|---:|" + "---:|" * len(names) + "---:|---:|---|")
    previous: Optional[int] = None
    for p in points:
        delta = "" if previous is None or p.usages == previous else f"{p.usages - previous:+d}"
        previous = p.usages
        subject = p.commit.subject.replace("|", "\\|")
        if len(subject) > 60:
            subject = subject[:57] + "..."
        out.append(
            f"| `{p.commit.sha[:9]}` | {p.commit.date.strftime('%Y-%m-%d %H:%M')} | {p.usages} | {delta} | "
            + " | ".join(str(p.by_area.get(name, 0)) for name in names)
            + f" | {p.bypasses} | {_cell(p.modules)} | {subject} |"
        )
    out.append("")
    return "\n".join(out)
