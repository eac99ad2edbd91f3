"""``report --history``: burndown over real git repositories made in temporary folders."""
from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Dict, List, Optional

import pytest

from flake8_coordination.cli import main
from flake8_coordination.config import load_settings
from flake8_coordination.history import HistoryWalker, open_repository
from report_fixtures import PROJECT, write_tree

SVG = "{http://www.w3.org/2000/svg}"


def git(repo: Path, *args: str, date: Optional[str] = None) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="A", GIT_AUTHOR_EMAIL="a@example.com", GIT_COMMITTER_NAME="A",
               GIT_COMMITTER_EMAIL="a@example.com", GIT_CONFIG_NOSYSTEM="1", HOME=str(repo))
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commit(repo: Path, message: str, date: str, files: Dict[str, Optional[str]]) -> str:
    for relative, text in files.items():
        path = repo / relative
        if text is None:
            git(repo, "rm", "-q", relative)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        git(repo, "add", relative)
    git(repo, "commit", "-q", "-m", message, date=date)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Dict[str, object]:
    root = tmp_path_factory.mktemp("history") / "repo"
    root.mkdir()
    git(root, "-c", "init.defaultBranch=main", "init", "-q")
    shas = [
        commit(root, "initial", "2026-01-01T10:00:00+00:00", {f"svc/{k}": v for k, v in PROJECT.items()}),
        commit(root, "migrate worker", "2026-01-03T10:00:00+00:00", {
            "svc/app/worker.py": "from app.coordination.event_router import publish\n"
                                 "from app.coordination.sync_facade import sync\n",
        }),
        commit(root, "docs | only", "2026-01-05T10:00:00+00:00", {"README.md": "hello\n"}),
        commit(root, "drop health wrapper, add metrics", "2026-01-07T10:00:00+00:00", {
            "svc/app/coordination/deprecated/_deprecated_health.py": None,
            "svc/app/coordination/metrics.py": "from .event_emitters import publish\n",
        }),
        commit(root, "migrate tests and tools", "2026-01-09T10:00:00+00:00", {
            "svc/tests/test_worker.py": "import app.coordination.event_router\n",
            "svc/tools/x.py": "",
        }),
    ]
    return {"root": root, "shas": shas}


def run(capsys, *argv: str):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


ROWS = [
    # sha index, date, usages, delta, app, tests, scripts, other, bypasses, modules, subject
    (0, "2026-01-01 10:00", 4, "", 1, 1, 1, 1, 1, 3, "initial"),
    (1, "2026-01-03 10:00", 3, "-1", 0, 1, 1, 1, 0, 3, "migrate worker"),
    (2, "2026-01-05 10:00", 3, "", 0, 1, 1, 1, 0, 3, "docs \\| only"),
    (3, "2026-01-07 10:00", 4, "+1", 1, 1, 1, 1, 0, 4, "drop health wrapper, add metrics"),
    (4, "2026-01-09 10:00", 2, "-2", 1, 0, 1, 0, 0, 4, "migrate tests and tools"),
]


def table(shas: List[str], indexes: List[int]) -> List[str]:
    rows = [row for row in ROWS if row[0] in indexes]
    lines = []
    previous = None
    for index, date, usages, _, app, tests, scripts, other, bypasses, modules, subject in rows:
        delta = "" if previous is None or previous == usages else f"{usages - previous:+d}"
        previous = usages
        lines.append(f"| `{shas[index][:9]}` | {date} | {usages} | {delta} | {app} | {tests} | {scripts} | "
                     f"{other} | {bypasses} | {modules} | {subject} |")
    return lines


def body(markdown: str) -> List[str]:
    return [line for line in markdown.splitlines() if line.startswith("| `")]


def test_history_markdown(repo, capsys) -> None:
    code, out, err = run(capsys, "report", str(repo["root"] / "svc"), "--history", "--today", "2026-01-15")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:3] == [
        "# Consolidation burndown",
        "",
        "5 commits of `svc/`, 2026-01-01 to 2026-01-09: deprecated usages 4 → 2, facade bypasses 1 → 0, "
        "modules 3 → 4 (target 3).",
    ]
    assert re.fullmatch(r"Walked in \d+\.\d\d s: \d+ trees and \d+ blobs read, \d+ parsed, \d+ file results "
                        r"and \d+ folder results reused\.", lines[4])
    assert lines[6:8] == [
        "| commit | date | usages | Δ | app | tests | scripts | other | bypasses | modules | subject |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    assert body(out) == table(repo["shas"], [0, 1, 2, 3, 4])


def test_last_commit_agrees_with_the_working_tree_report(repo, capsys) -> None:
    _, out, _ = run(capsys, "report", str(repo["root"] / "svc"), "--today", "2026-01-15", "--format", "json")
    assert json.loads(out)["deprecated_usages"] == 2
    assert json.loads(out)["module_count"]["modules"] == 4


@pytest.mark.parametrize("extra, indexes", [
    (["--path", "app/coordination"], [0, 3]),
    (["--since", "2026-01-02", "--until", "2026-01-06"], [1, 2]),
    (["HEAD~2..HEAD"], [3, 4]),
])
def test_history_filters(repo, capsys, extra, indexes) -> None:
    argv = ["report", str(repo["root"] / "svc"), "--today", "2026-01-15"]
    if extra[0].startswith("--"):
        argv += ["--history", *extra]
    else:
        argv += ["--history", extra[0]]
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert body(out) == table(repo["shas"], indexes)


def test_bare_repository_with_prefix(repo, tmp_path: Path, capsys) -> None:
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo["root"]), str(bare)], check=True)
    code, out, _ = run(capsys, "report", str(bare), "--history", "--prefix", "svc", "--today", "2026-01-15",
                       "--config", str(repo["root"] / "svc/pyproject.toml"))
    assert code == 0
    assert body(out) == table(repo["shas"], [0, 1, 2, 3, 4])


def test_history_json(repo, capsys) -> None:
    code, out, _ = run(capsys, "report", str(repo["root"] / "svc"), "--history", "--today", "2026-01-15",
                       "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["prefix"] == "svc"
    first, last = data["commits"][0], data["commits"][-1]
    assert first == {
        "commit": repo["shas"][0], "date": "2026-01-01T10:00:00+00:00", "subject": "initial", "usages": 4,
        "by_area": {"app": 1, "tests": 1, "scripts": 1, "other": 1},
        "by_module": {"app.coordination.event_emitters": 3, "app.coordination.old_sync": 1},
        "bypasses": 1, "modules": 3, "files": 8, "python_files": 13, "errors": 0,
    }
    assert last["by_module"] == {"app.coordination.event_emitters": 1, "app.coordination.old_sync": 1}
    assert data["stats"]["commits"] == 5
    assert data["elapsed_seconds"] >= 0


def test_caches_reuse_unchanged_trees_and_blobs(repo) -> None:
    project = repo["root"] / "svc"
    settings = load_settings(None, project)
    with HistoryWalker(open_repository(project), settings, datetime.date(2026, 1, 15)) as walker:
        commits = walker.commits("HEAD")
        walker.point(commits[1])
        before = (walker.stats.trees_read, walker.stats.blobs_read, walker.stats.blobs_parsed)
        walker.point(commits[2])  # only README.md at the repository root changed
        assert (walker.stats.trees_read, walker.stats.blobs_read, walker.stats.blobs_parsed) == (
            before[0] + 1, before[1], before[2])
        walker.point(commits[3])  # one file removed, one added
        assert walker.stats.blobs_read == before[1] + 1
        again = (walker.stats.trees_read, walker.stats.blobs_read)
        walker.point(commits[3])
        assert (walker.stats.trees_read, walker.stats.blobs_read) == again


def test_chart_is_well_formed_svg(repo, tmp_path: Path, capsys) -> None:
    chart = tmp_path / "burndown.svg"
    code, _, _ = run(capsys, "report", str(repo["root"] / "svc"), "--history", "--today", "2026-01-15",
                     "--chart", str(chart))
    assert code == 0
    root = ET.parse(chart).getroot()
    assert root.tag == f"{SVG}svg"
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert texts[:2] == [
        "app.coordination: consolidation burndown",
        "5 commits, 2026-01-01 to 2026-01-09: deprecated usages 4 → 2, modules 3 → 4",
    ]
    for label in ("2 usages", "0 facade bypasses", "4 modules", "target 3", "app", "tests", "scripts", "other"):
        assert label in texts
    assert len(list(root.iter(f"{SVG}polygon"))) == 4  # one stacked area per area with usages
    assert not list(tmp_path.glob(".tmp-*"))


def test_chart_without_commits(repo, tmp_path: Path, capsys) -> None:
    chart = tmp_path / "empty.svg"
    code, out, _ = run(capsys, "report", str(repo["root"] / "svc"), "--history", "--since", "2030-01-01",
                       "--chart", str(chart))
    assert code == 0
    assert out == "# Consolidation burndown\n\nNo commits to walk in `svc/`.\n"
    texts = [element.text for element in ET.parse(chart).getroot().iter(f"{SVG}text")]
    assert texts[-1] == "No commits to show."


def test_not_a_repository(tmp_path: Path, capsys) -> None:
    write_tree(tmp_path / "p", {"a.py": ""})
    code, out, err = run(capsys, "report", str(tmp_path / "p"), "--history")
    assert (code, out) == (2, "")
    assert err == f"flake8-coordination: error: {tmp_path / 'p'}: not inside a git repository\n"


def test_bad_revision(repo, capsys) -> None:
    code, out, err = run(capsys, "report", str(repo["root"] / "svc"), "--history", "nope..HEAD")
    assert (code, out) == (2, "")
    assert err.startswith("flake8-coordination: error: git log: fatal: ")
    assert "nope" in err


def test_worker_processes_give_the_same_numbers(repo, capsys) -> None:
    argv = ["report", str(repo["root"] / "svc"), "--history", "--today", "2026-01-15", "--format", "json"]
    _, one, _ = run(capsys, *argv, "--jobs", "1")
    _, two, _ = run(capsys, *argv, "--jobs", "2")
    assert json.loads(one)["commits"] == json.loads(two)["commits"]


def test_commits_before_the_project_folder_existed(tmp_path: Path, capsys) -> None:
    root = tmp_path / "r"
    root.mkdir()
    git(root, "-c", "init.defaultBranch=main", "init", "-q")
    first = commit(root, "readme", "2026-01-01T00:00:00+00:00", {"README.md": "x\n"})
    second = commit(root, "project", "2026-01-02T00:00:00+00:00", {f"svc/{k}": v for k, v in PROJECT.items()})
    chart = tmp_path / "c.svg"
    code, out, _ = run(capsys, "report", str(root), "--history", "--prefix", "svc", "--today", "2026-01-15",
                       "--config", str(root / "svc/pyproject.toml"), "--chart", str(chart))
    assert code == 0
    assert body(out) == [
        f"| `{first[:9]}` | 2026-01-01 00:00 | 0 |  | 0 | 0 | 0 | 0 | 0 | — | readme |",
        f"| `{second[:9]}` | 2026-01-02 00:00 | 4 | +4 | 1 | 1 | 1 | 1 | 1 | 3 | project |",
    ]
    ET.parse(chart)
