"""The registry-driven contract types, run by the real ``lint-imports`` on small packages."""
from __future__ import annotations

from pathlib import Path

from _contracts_fixtures import CLEAN, THREE_LINE_CONTRACTS, lint_imports, make_project, result_lines


def project(tmp_path, contracts=THREE_LINE_CONTRACTS, **changes):
    files = dict(CLEAN)
    files.update(changes)
    make_project(tmp_path, files)
    (tmp_path / ".importlinter").write_text(contracts, encoding="utf-8")
    return tmp_path


def test_three_line_contracts_kept(tmp_path):
    run = lint_imports(project(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr
    lines = result_lines(run.stdout)
    assert "Import the facades, not what they front KEPT" in lines
    assert "No new imports of deprecated modules KEPT" in lines
    assert "Contracts: 2 kept, 0 broken." in lines


def test_facade_contract_broken_names_the_facade(tmp_path):
    loop = "import os\nfrom app.coordination.auto_sync_daemon import AutoSyncDaemon\n"
    run = lint_imports(project(tmp_path, **{"app/training/loop.py": loop}))
    assert run.returncode == 1
    lines = result_lines(run.stdout)
    assert "Import the facades, not what they front BROKEN" in lines
    assert "No new imports of deprecated modules KEPT" in lines
    start = lines.index("Import from app.coordination.sync_facade instead "
                        "(it fronts app.coordination.auto_sync_daemon, app.coordination.ephemeral_sync):")
    assert lines[start + 1:start + 3] == ["", "- app.training.loop -> app.coordination.auto_sync_daemon (l.2)"]


def test_facade_members_and_fronted_modules_may_import(tmp_path):
    wrapper = "from app.coordination.ephemeral_sync import sync_now\n"
    run = lint_imports(project(tmp_path, **{"app/coordination/deprecated/_deprecated_eph.py": wrapper}))
    assert run.returncode == 0, run.stdout


def test_deprecated_contract_broken_names_the_replacement(tmp_path):
    loop = "from app.coordination.sync_coordinator import SyncScheduler\n"
    facade = CLEAN["app/coordination/sync_facade.py"] + "\n\nimport app.coordination.sync_coordinator\n"
    run = lint_imports(project(tmp_path, **{"app/training/loop.py": loop, "app/coordination/sync_facade.py": facade}))
    assert run.returncode == 1
    lines = result_lines(run.stdout)
    assert "No new imports of deprecated modules BROKEN" in lines
    start = lines.index("app.coordination.sync_coordinator is deprecated, removal was due 2026-06-30; "
                        "import from app.coordination.sync_facade instead:")
    assert lines[start + 1:start + 4] == [
        "",
        "- app.coordination.sync_facade -> app.coordination.sync_coordinator (l.5)",
        "- app.training.loop -> app.coordination.sync_coordinator (l.1)",
    ]


def test_ignore_imports_grandfathers_and_must_shrink(tmp_path):
    contracts = THREE_LINE_CONTRACTS.replace(
        "type = coordination_facades\n",
        "type = coordination_facades\nignore_imports =\n    app.training.loop -> app.coordination.auto_sync_daemon\n",
    )
    loop = "from app.coordination.auto_sync_daemon import AutoSyncDaemon\n"
    run = lint_imports(project(tmp_path, contracts, **{"app/training/loop.py": loop}))
    assert run.returncode == 0, run.stdout
    # the grandfathered import is gone: the ignore entry must go too
    (tmp_path / "app/training/loop.py").write_text(CLEAN["app/training/loop.py"])
    run = lint_imports(tmp_path)
    assert run.returncode == 1
    assert "No matches for ignored import app.training.loop -> app.coordination.auto_sync_daemon." in run.stdout + run.stderr


def test_selected_facades_and_modules(tmp_path):
    contracts = THREE_LINE_CONTRACTS.replace(
        "type = coordination_facades\n", "type = coordination_facades\nfacades = app.coordination.sync_facade\n"
    ).replace("type = coordination_deprecated\n", "type = coordination_deprecated\nmodules = app.coordination.sync_coordinator\n")
    run = lint_imports(project(tmp_path, contracts))
    assert run.returncode == 0, run.stdout + run.stderr


def test_unknown_facade_is_a_clear_error(tmp_path):
    contracts = THREE_LINE_CONTRACTS.replace(
        "type = coordination_facades\n", "type = coordination_facades\nfacades = app.coordination.nope\n"
    )
    run = lint_imports(project(tmp_path, contracts))
    assert run.returncode == 1
    output = run.stdout + run.stderr
    assert "Traceback" not in output
    assert "facades: not in the registry (" in output
    assert "pyproject.toml): app.coordination.nope" in output


def test_registry_config_error_is_located_without_traceback(tmp_path):
    contracts = THREE_LINE_CONTRACTS.replace(
        "type = coordination_deprecated\n", "type = coordination_deprecated\nregistry = registry.toml\n"
    )
    project(tmp_path, contracts)
    (tmp_path / "registry.toml").write_text('[tool.flake8-coordination]\nuse-default = false\ndeprecated = 3\n')
    run = lint_imports(tmp_path)
    assert run.returncode == 1
    output = run.stdout + run.stderr
    assert "Traceback" not in output
    assert 'Contract "No new imports of deprecated modules" is not configured correctly:' in output
    assert "registry: registry.toml: deprecated: must be a table, not int 3" in output


def test_missing_registry_file(tmp_path):
    contracts = THREE_LINE_CONTRACTS.replace(
        "type = coordination_facades\n", "type = coordination_facades\nregistry = nowhere.toml\n"
    )
    run = lint_imports(project(tmp_path, contracts))
    assert run.returncode == 1
    assert "registry: nowhere.toml: no such file" in run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr


REPO = Path(__file__).resolve().parent.parent
SEED = {
    "app/__init__.py": "",
    "app/coordination/__init__.py": "",
    "app/coordination/event_router.py": "from app.coordination.stage_events import StageEvent\n",
    "app/coordination/stage_events.py": "class StageEvent:\n    pass\n",
    "app/coordination/event_emitters.py": "from app.coordination.stage_events import StageEvent\n",
    "app/coordination/cluster/__init__.py": "",
    "app/coordination/cluster/health.py": "from app.coordination.unified_health_manager import UnifiedHealthManager\n",
    "app/coordination/unified_health_manager.py": "class UnifiedHealthManager:\n    pass\n",
    "app/coordination/deprecated/__init__.py": "",
    "app/coordination/deprecated/_deprecated_event_emitters.py": "from app.coordination.event_emitters import *  # noqa\n",
    "app/training/__init__.py": "",
    "app/training/loop.py": "from app.coordination.event_router import StageEvent\n",
}


def test_own_layers_kept():
    run = lint_imports(REPO, ".importlinter")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "cli above adapters above the core KEPT" in result_lines(run.stdout)


def test_repository_contracts_on_a_seed_shaped_tree(tmp_path):
    make_project(tmp_path, SEED, registry="")
    config = str(REPO / "contracts" / ".importlinter")
    run = lint_imports(tmp_path, config)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Contracts: 7 kept, 0 broken." in result_lines(run.stdout)

    (tmp_path / "app/training/loop.py").write_text("from app.coordination import event_emitters, stage_events\n")
    run = lint_imports(tmp_path, config)
    assert run.returncode == 1
    lines = result_lines(run.stdout)
    assert "Contracts: 5 kept, 2 broken." in lines
    assert ("Import from app.coordination.event_router instead (it fronts app.coordination.event_emitters, "
            "app.coordination.cross_process_events, app.coordination.stage_events, app.distributed.data_events):") in lines
    assert ("app.coordination.event_emitters is deprecated, removal was due 2026-06-30; "
            "import from app.coordination.event_router instead:") in lines
    # reported once, by the deprecated-modules contract (COORD001 wins over COORD004)
    assert lines.count("- app.training.loop -> app.coordination.event_emitters (l.1)") == 1
    assert "- app.training.loop -> app.coordination.stage_events (l.1)" in lines
