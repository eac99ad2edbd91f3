"""``flake8-coordination ratchet``: grandfathered COORD findings, keyed without line numbers."""
from __future__ import annotations

import json

import pytest
from _contracts_fixtures import REGISTRY, cli

from flake8_coordination import ratchet
from flake8_coordination.checker import Finding
from flake8_coordination.cli import main

OLD = "from app.coordination.sync_coordinator import SyncScheduler\n"
BYPASS = "import app.coordination.auto_sync_daemon\n"
MESSAGE = ("COORD001 app.coordination.sync_coordinator is deprecated; use "
           "'from app.coordination.sync_facade import SyncScheduler' (removal due 2026-06-30) [fixable]")


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text(REGISTRY)
    pkg = tmp_path / "app" / "training"
    pkg.mkdir(parents=True)
    for folder in (tmp_path / "app", pkg):
        (folder / "__init__.py").write_text("")
    # the replacement module, defining the name the fix needs
    (tmp_path / "app" / "coordination").mkdir()
    (tmp_path / "app" / "coordination" / "__init__.py").write_text("")
    (tmp_path / "app" / "coordination" / "sync_facade.py").write_text("class SyncScheduler: ...\n")
    (pkg / "loop.py").write_text("import os\n" + OLD + BYPASS)
    (pkg / "jobs.py").write_text(OLD + "\n\ndef f():\n    " + OLD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def ratchet_run(capsys, *extra):
    code = main(["ratchet", "app", "--today", "2026-01-15", *extra])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def update(capsys):
    code, out, err = ratchet_run(capsys, "--update")
    assert (code, err) == (0, "")
    return out


def test_update_records_then_passes(project, capsys):
    assert update(capsys) == [".coordination-baseline.json: 4 finding(s) recorded (was 0)"]
    document = json.loads((project / ".coordination-baseline.json").read_text())
    assert document["findings"][:2] == [
        {"path": "app/training/jobs.py", "code": "COORD001", "module": "app.coordination.sync_coordinator",
         "text": OLD.strip(), "occurrence": 0},
        {"path": "app/training/jobs.py", "code": "COORD001", "module": "app.coordination.sync_coordinator",
         "text": OLD.strip(), "occurrence": 1},
    ]
    assert document["findings"][3]["code"] == "COORD004"
    assert ratchet_run(capsys) == (0, [".coordination-baseline.json: 4 grandfathered finding(s), no new ones"], "")
    assert [p.name for p in project.iterdir() if p.name.endswith(".tmp")] == []


def test_moving_code_up_or_down_keeps_the_baseline(project, capsys):
    update(capsys)
    loop = project / "app/training/loop.py"
    loop.write_text('"""Docstring."""\n\n\n' + BYPASS + "x = 1\n" + OLD + "import os\n")
    code, out, _ = ratchet_run(capsys)
    assert (code, out) == (0, [".coordination-baseline.json: 4 grandfathered finding(s), no new ones"])


def test_new_finding_fails(project, capsys):
    update(capsys)
    (project / "app/training/new.py").write_text("\n" + OLD)
    code, out, err = ratchet_run(capsys)
    assert code == 1
    assert out == [f"app/training/new.py:2:1: {MESSAGE} (new: not in .coordination-baseline.json)"]
    assert err == "1 new finding(s): fix them\n"


def test_another_identical_line_is_new(project, capsys):
    update(capsys)
    jobs = project / "app/training/jobs.py"
    jobs.write_text(jobs.read_text() + OLD)
    code, out, _ = ratchet_run(capsys)
    assert code == 1
    assert out == [f"app/training/jobs.py:6:1: {MESSAGE} (new: not in .coordination-baseline.json)"]


def test_fixed_finding_fails_until_removed(project, capsys):
    update(capsys)
    (project / "app/training/loop.py").write_text("import os\n" + BYPASS)
    code, out, err = ratchet_run(capsys)
    assert code == 1
    assert out == [".coordination-baseline.json: fixed, remove from the baseline: app/training/loop.py: COORD001 "
                   "app.coordination.sync_coordinator: from app.coordination.sync_coordinator import SyncScheduler"]
    assert err == ("1 baseline entry no longer occurs: run 'flake8-coordination ratchet --update' "
                   "to shrink the baseline\n")
    assert update(capsys) == [
        ".coordination-baseline.json: dropped a fixed finding: app/training/loop.py: COORD001 "
        "app.coordination.sync_coordinator: from app.coordination.sync_coordinator import SyncScheduler",
        ".coordination-baseline.json: 3 finding(s) recorded (was 4: 0 new, 1 fixed)",
    ]
    assert ratchet_run(capsys)[0] == 0


def test_missing_baseline_means_everything_is_new(project, capsys):
    code, out, _ = ratchet_run(capsys, "--baseline", "elsewhere/base.json")
    assert code == 1
    assert len(out) == 4
    assert out[0] == f"app/training/jobs.py:1:1: {MESSAGE} (new: not in elsewhere/base.json)"


def test_baseline_paths_are_relative_to_the_baseline_file(project, capsys):
    (project / "ci").mkdir()
    ratchet_run(capsys, "--baseline", "ci/base.json", "--update")
    document = json.loads((project / "ci/base.json").read_text())
    assert {item["path"] for item in document["findings"]} == {"../app/training/jobs.py", "../app/training/loop.py"}


@pytest.mark.parametrize("text, message", [
    ("{", "ci.json: not a baseline file (invalid JSON: Expecting property name enclosed in double quotes: "
          "line 1 column 2 (char 1))"),
    ('{"version": 2, "findings": []}', 'ci.json: not a version 1 baseline file (expected {"version": 1, "findings": [...]})'),
    ('{"version": 1, "findings": [{"path": "a"}]}',
     "ci.json: findings[0]: expected the keys path, code, module, text, occurrence"),
])
def test_bad_baseline_is_exit_2(project, capsys, text, message):
    (project / "ci.json").write_text(text)
    code, out, err = ratchet_run(capsys, "--baseline", "ci.json", "--update")
    assert (code, out, err) == (2, [], f"flake8-coordination: error: {message}\n")
    assert (project / "ci.json").read_text() == text


def test_real_command_line(project):
    run = cli(project, "ratchet", "app", "--today", "2026-01-15", "--update")
    assert (run.returncode, run.stdout) == (0, ".coordination-baseline.json: 4 finding(s) recorded (was 0)\n")
    (project / "app/training/jobs.py").write_text("")
    run = cli(project, "ratchet", "app", "--today", "2026-01-15")
    assert run.returncode == 1
    assert run.stdout.count("fixed, remove from the baseline") == 2


def test_keys_ignore_line_numbers():
    def found(line):
        return ("a.py", Finding("COORD001", line, 0, "m", "app.old"))

    def lines_of(path):
        return ["", "import app.old", "", "import app.old"]

    first = ratchet.entries_for([found(2), found(4)], lines_of, ratchet.Path("."))
    assert [item.entry for item in first] == [
        ratchet.Entry("a.py", "COORD001", "app.old", "import app.old", 0),
        ratchet.Entry("a.py", "COORD001", "app.old", "import app.old", 1),
    ]
    verdict = ratchet.compare(first, {item.entry for item in first})
    assert verdict.ok and verdict.kept == 2
    assert ratchet.loads(ratchet.dumps(item.entry for item in first), "x") == {item.entry for item in first}


def test_update_says_when_it_grandfathers_a_new_finding(project, capsys):
    update(capsys)
    (project / "app/training/loop.py").write_text("import os\n" + BYPASS)  # one fixed
    (project / "app/training/new.py").write_text(OLD)  # one new
    assert update(capsys) == [
        f".coordination-baseline.json: recorded a new finding: app/training/new.py:1: {MESSAGE}",
        ".coordination-baseline.json: dropped a fixed finding: app/training/loop.py: COORD001 "
        "app.coordination.sync_coordinator: from app.coordination.sync_coordinator import SyncScheduler",
        ".coordination-baseline.json: 4 finding(s) recorded (was 4: 1 new, 1 fixed)",
    ]
