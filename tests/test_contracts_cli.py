"""``flake8-coordination contracts``: generation, staleness, the contracts baseline -- each
generated file then run by the real ``lint-imports``."""
from __future__ import annotations

from pathlib import Path

import pytest
from _contracts_fixtures import CLEAN, REGISTRY, cli, lint_imports, make_project, result_lines

REPO = Path(__file__).resolve().parent.parent
OUT = "contracts/.importlinter"
TO_DAEMON = "app.training.loop -> app.coordination.auto_sync_daemon"
DIRTY_LOOP = "from app.coordination.auto_sync_daemon import AutoSyncDaemon\nimport app.coordination.sync_coordinator\n"


def generate(root: Path, *args: str) -> str:
    run = cli(root, "contracts", *args)
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout


def test_repository_contracts_file_is_fresh():
    run = cli(REPO, "contracts", "--check")
    assert run.returncode == 0, run.stdout + run.stderr


def test_generated_file_kept_on_a_clean_tree(tmp_path):
    make_project(tmp_path)
    assert generate(tmp_path) == f"{OUT}: 3 contracts, 0 grandfathered import(s)\n"
    text = (tmp_path / OUT).read_text()
    assert "[importlinter:contract:facade-app-coordination-sync-facade]\n" in text
    assert "facades = app.coordination.sync_facade\nregistry = pyproject.toml\n" in text
    # the deprecated sync_coordinator sits in no layer (a wrapper may import what it forwards to)
    assert "layers =\n    (app.coordination.sync_facade)\n" \
           "    (app.coordination.auto_sync_daemon) : (app.coordination.ephemeral_sync)\n" in text
    run = lint_imports(tmp_path, OUT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Contracts: 3 kept, 0 broken." in result_lines(run.stdout)


@pytest.mark.parametrize("types", ["coordination", "builtin"])
def test_generated_file_broken(tmp_path, types):
    files = dict(CLEAN)
    files["app/training/loop.py"] = DIRTY_LOOP
    files["app/coordination/auto_sync_daemon.py"] = "from app.coordination import sync_facade\n"
    make_project(tmp_path, files)
    generate(tmp_path, "--types", types)
    run = lint_imports(tmp_path, OUT)
    assert run.returncode == 1
    lines = result_lines(run.stdout)
    assert "app.coordination.sync_facade: callers above the facade above the modules it fronts BROKEN" in lines
    assert "Only app.coordination.sync_facade and its subsystem import the modules it fronts BROKEN" in lines
    assert "app.coordination.auto_sync_daemon is not allowed to import app.coordination.sync_facade:" in lines
    assert "- app.coordination.auto_sync_daemon -> app.coordination.sync_facade (l.1)" in lines
    if types == "builtin":
        assert "Import from app.coordination.sync_facade instead." in lines
        assert "Deprecated module app.coordination.sync_coordinator BROKEN" in lines
        assert "Deprecated: app.coordination.sync_coordinator. Import from app.coordination.sync_facade instead." in lines
    else:
        assert ("Import from app.coordination.sync_facade instead (it fronts app.coordination.auto_sync_daemon, "
                "app.coordination.ephemeral_sync):") in lines
        assert "Deprecated modules are imported only by their wrappers BROKEN" in lines
    assert f"- {TO_DAEMON} (l.1)" in lines


def test_builtin_types_leave_out_absent_modules(tmp_path):
    files = {name: text for name, text in CLEAN.items() if "ephemeral" not in name}
    files["app/coordination/sync_facade.py"] = "from app.coordination.auto_sync_daemon import AutoSyncDaemon\n"
    make_project(tmp_path, files)
    generate(tmp_path, "--types", "builtin")
    text = (tmp_path / OUT).read_text()
    assert "# Registry modules absent from the source tree, left out:\n#   app.coordination.ephemeral_sync\n" in text
    assert "# Registry patterns import-linter cannot state, left out:\n#   *test_sync_coordinator\n" in text
    assert "contract_types" not in text
    run = lint_imports(tmp_path, OUT)
    assert run.returncode == 0, run.stdout + run.stderr


def test_check_detects_a_stale_file(tmp_path):
    make_project(tmp_path)
    run = cli(tmp_path, "contracts", "--check")
    assert (run.returncode, run.stderr) == (1, f"{OUT}: missing; run 'flake8-coordination contracts' to write it\n")
    generate(tmp_path)
    assert cli(tmp_path, "contracts", "--check").returncode == 0
    registry = REGISTRY.replace('"app.coordination.ephemeral_sync"]',
                                '"app.coordination.ephemeral_sync", "app.coordination.cluster_data_sync"]')
    (tmp_path / "pyproject.toml").write_text(registry)
    run = cli(tmp_path, "contracts", "--check")
    assert run.returncode == 1
    assert run.stderr == f"{OUT}: stale; run 'flake8-coordination contracts' to regenerate it\n"
    assert f"--- {OUT} (on disk)\n+++ {OUT} (from the registry)\n" in run.stdout
    assert "-    (app.coordination.auto_sync_daemon) : (app.coordination.ephemeral_sync)\n" in run.stdout
    assert "+    (app.coordination.auto_sync_daemon) : (app.coordination.cluster_data_sync) : " \
           "(app.coordination.ephemeral_sync)\n" in run.stdout
    before = (tmp_path / OUT).read_text()
    assert cli(tmp_path, "contracts", "--check").returncode == 1
    assert (tmp_path / OUT).read_text() == before  # --check never writes


def test_bad_config_exits_2_with_a_located_message(tmp_path):
    make_project(tmp_path, registry=REGISTRY.replace("use-default = false\n", 'use-default = false\ntype-checking = "sometimes"\n'))
    run = cli(tmp_path, "contracts")
    assert run.returncode == 2
    assert run.stderr == ("flake8-coordination: error: " + str(tmp_path / "pyproject.toml")
                          + ": type-checking: must be one of report, ignore, not 'sometimes'\n")
    assert not (tmp_path / OUT).exists()


def test_baseline_grandfathers_then_only_shrinks(tmp_path):
    files = dict(CLEAN)
    files["app/training/loop.py"] = DIRTY_LOOP
    make_project(tmp_path, files)
    assert generate(tmp_path, "--baseline") == f"{OUT}: 3 contracts, 2 grandfathered import(s)\n"
    text = (tmp_path / OUT).read_text()
    assert f"ignore_imports =\n    {TO_DAEMON}\n" in text
    assert "ignore_imports =\n    app.training.loop -> app.coordination.sync_coordinator\n" in text
    assert lint_imports(tmp_path, OUT).returncode == 0
    assert cli(tmp_path, "contracts", "--check", "--baseline").returncode == 0
    # regenerating without --baseline keeps the grandfathered imports
    assert generate(tmp_path).endswith("(unchanged)\n")

    # a new violation fails
    (tmp_path / "app/training/more.py").write_text("import app.coordination.ephemeral_sync\n")
    run = lint_imports(tmp_path, OUT)
    assert run.returncode == 1
    assert "- app.training.more -> app.coordination.ephemeral_sync (l.1)" in result_lines(run.stdout)
    (tmp_path / "app/training/more.py").unlink()

    # a grandfathered import that is fixed fails until its entry is removed
    (tmp_path / "app/training/loop.py").write_text("import app.coordination.sync_coordinator\n")
    run = lint_imports(tmp_path, OUT)
    assert run.returncode == 1
    assert f"No matches for ignored import {TO_DAEMON}." in run.stdout + run.stderr
    run = cli(tmp_path, "contracts", "--check", "--baseline")
    assert run.returncode == 1
    assert f"-    {TO_DAEMON}\n" in run.stdout
    assert run.stderr == f"{OUT}: stale; run 'flake8-coordination contracts --baseline' to regenerate it\n"
    assert generate(tmp_path, "--baseline") == f"{OUT}: 3 contracts, 1 grandfathered import(s)\n"
    assert lint_imports(tmp_path, OUT).returncode == 0


def test_baseline_cuts_indirect_layer_chains(tmp_path):
    files = dict(CLEAN)
    files["app/coordination/auto_sync_daemon.py"] = "import app.training.helpers\n"
    files["app/training/helpers.py"] = "from app.coordination import sync_facade\n"
    make_project(tmp_path, files)
    generate(tmp_path, "--baseline")
    text = (tmp_path / OUT).read_text()
    assert "ignore_imports =\n    app.coordination.auto_sync_daemon -> app.training.helpers\n" in text
    run = lint_imports(tmp_path, OUT)
    assert run.returncode == 0, run.stdout


def test_baseline_without_the_package_is_an_input_error(tmp_path):
    (tmp_path / "pyproject.toml").write_text(REGISTRY)
    run = cli(tmp_path, "contracts", "--baseline")
    assert run.returncode == 2
    assert run.stderr.startswith("flake8-coordination: error: cannot build the import graph of app from ")
    assert "Traceback" not in run.stderr


def test_unwritable_output_is_an_input_error(tmp_path):
    make_project(tmp_path)
    (tmp_path / "afile").write_text("")
    run = cli(tmp_path, "contracts", "--output", "afile/x.ini")
    assert run.returncode == 2
    assert run.stderr == ("flake8-coordination: error: afile/x.ini: cannot be read "
                          "([Errno 20] Not a directory: 'afile/x.ini')\n")


def test_baseline_finds_the_package_under_a_src_root(tmp_path):
    files = {f"src/{name}": text for name, text in CLEAN.items()}
    files["src/app/training/loop.py"] = DIRTY_LOOP
    make_project(tmp_path, files, REGISTRY.replace('package = "app.coordination"', 'package = "app.coordination"\nsrc = ["src"]'))
    assert generate(tmp_path, "--baseline") == f"{OUT}: 3 contracts, 2 grandfathered import(s)\n"
    assert f"ignore_imports =\n    {TO_DAEMON}\n" in (tmp_path / OUT).read_text()
