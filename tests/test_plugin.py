"""The flake8 plugin, run through the real flake8 executable on real files."""
from __future__ import annotations

import textwrap

import pytest

from conftest import package_tree

TODAY = "--coordination-today=2026-01-01"
DUE = " (removal due 2026-06-30)"
PAST = " (removal was due 2026-06-30)"
EE = "app.coordination.event_emitters"
ER = "app.coordination.event_router"
HCO = "app.coordination.health_check_orchestrator"
HEALTH = "app.coordination.cluster.health"


FACADES = {
    "app/coordination/event_router.py": (
        "def publish(): ...\ndef emit_training_completed(): ...\ndef emit_model_promoted(): ...\n"
    ),
    "app/coordination/cluster/health.py": (
        "class UnifiedHealthManager: ...\ndef wire_health_events(): ...\ndef check_cluster_health(): ...\n"
    ),
    "app/coordination/sync_facade.py": "class SyncFacade: ...\n",
}


@pytest.fixture
def project(flake8_path):
    package_tree(flake8_path.root, ["app", "app.coordination", "app.coordination.cluster", "app.training"])
    flake8_path.write(FACADES)
    return flake8_path


def check(project, source: str, *args: str, name: str = "app/training/mod.py"):
    project.write({name: source})
    return project.lines(TODAY, name, *args)


# -- import forms ------------------------------------------------------------------
FORMS = [
    pytest.param(
        "import app.coordination.event_emitters\n",
        [f"1:8: COORD001 {EE} is deprecated; use 'import {ER}'{DUE} [fixable]"],
        id="import",
    ),
    pytest.param(
        "import app.coordination.event_emitters as ee\n",
        [f"1:8: COORD001 {EE} is deprecated; use 'import {ER} as ee'{DUE} [fixable]"],
        id="import-as",
    ),
    pytest.param(
        "from app.coordination import event_emitters\n",
        [f"1:30: COORD001 {EE} is deprecated; use 'from app.coordination import event_router as event_emitters'{DUE} [fixable]"],
        id="from-package-import-module",
    ),
    pytest.param(
        "from app.coordination.health_check_orchestrator import HealthCheckOrchestrator as Y\n",
        [f"1:56: COORD002 {HCO}.HealthCheckOrchestrator is deprecated; use 'from {HEALTH} import UnifiedHealthManager'{DUE} [fixable]"],
        id="from-import-renamed-as",
    ),
    pytest.param(
        "from app.coordination.event_emitters import emit_training_completed as etc\n",
        [f"1:1: COORD001 {EE} is deprecated; use 'from {ER} import emit_training_completed as etc'{DUE} [fixable]"],
        id="from-import-as",
    ),
    pytest.param(
        """\
        x = 1
        from app.coordination.health_check_orchestrator import (
            wire_health_events,
            HealthCheckOrchestrator,
        )
        """,
        [
            f"2:1: COORD001 {HCO} is deprecated; use 'from {HEALTH} import wire_health_events'{DUE} [fixable]",
            f"4:5: COORD002 {HCO}.HealthCheckOrchestrator is deprecated; use 'from {HEALTH} import UnifiedHealthManager'{DUE} [fixable]",
        ],
        id="multi-line-parenthesised",
    ),
    pytest.param(
        "from ..coordination.event_emitters import emit_model_promoted\n",
        [f"1:1: COORD001 {EE} is deprecated; use 'from {ER} import emit_model_promoted'{DUE} [fixable]"],
        id="relative-parent",
    ),
    pytest.param(
        "def f():\n    import app.coordination.event_emitters\n",
        [f"2:12: COORD001 {EE} is deprecated; use 'import {ER}'{DUE} [fixable]"],
        id="inside-function",
    ),
    pytest.param(
        """\
        try:
            from app.coordination.event_router import publish
        except ImportError:
            from app.coordination.cross_process_events import publish_event as publish
        """,
        [
            "4:55: COORD002 app.coordination.cross_process_events.publish_event is deprecated; "
            f"use 'from {ER} import publish'{DUE} [fixable]"
        ],
        id="except-importerror-fallback",
    ),
    pytest.param(
        """\
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import app.coordination.sync_coordinator
        """,
        [f"4:12: COORD001 app.coordination.sync_coordinator is deprecated; use 'import app.coordination.sync_facade'{DUE} [fixable]"],
        id="catch-warnings",
    ),
    pytest.param(
        """\
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from app.coordination.event_emitters import emit_model_promoted
        """,
        [f"3:5: COORD001 {EE} is deprecated; use 'from {ER} import emit_model_promoted'{DUE} [fixable]"],
        id="type-checking-reported-by-default",
    ),
    pytest.param(
        "from app.coordination.event_emitters import *\n",
        [f"1:1: COORD001 {EE} is deprecated; use 'from {ER} import *'{DUE}"],
        id="star",
    ),
    pytest.param(
        "import app.coordination\napp.coordination.event_emitters.emit_model_promoted('m')\n",
        [f"2:1: COORD001 {EE} is deprecated; use '{ER}'{DUE}"],
        id="attribute-chain",
    ),
    pytest.param(
        "import app.coordination as c\nc.event_emitters.emit_model_promoted('m')\n",
        [f"2:1: COORD001 {EE} is deprecated; use '{ER}'{DUE}"],
        id="attribute-chain-alias",
    ),
    pytest.param(
        "import app.coordination.event_emitters\napp.coordination.event_emitters.emit_model_promoted('m')\n",
        [f"1:8: COORD001 {EE} is deprecated; use 'import {ER}'{DUE} [fixable]"],
        id="attribute-chain-after-reported-import",
    ),
    pytest.param(
        "from app.coordination.deprecated._deprecated_event_emitters import publish\n",
        [
            "1:1: COORD001 app.coordination.deprecated._deprecated_event_emitters is deprecated; "
            f"use 'from {ER} import publish'{DUE} [fixable]"
        ],
        id="deprecated-wrapper-module",
    ),
    pytest.param(
        "from app.coordination.system_health_monitor import SystemHealthMonitor\n",
        [
            "1:52: COORD002 app.coordination.system_health_monitor.SystemHealthMonitor is deprecated; "
            f"use 'from {HEALTH} import check_cluster_health' (not a drop-in replacement; "
            f"the class-based monitor is gone; call check_cluster_health() instead){DUE}"
        ],
        id="manual-move-not-fixable",
    ),
]


@pytest.mark.parametrize("source, expected", FORMS)
def test_COORD001_COORD002_import_forms(project, source, expected):
    assert check(project, textwrap.dedent(source)) == [f"app/training/mod.py:{line}" for line in expected]


def test_COORD001_relative_sibling(project):
    source = "from . import event_emitters\n"
    got = check(project, source, name="app/coordination/caller.py")
    assert got == [
        f"app/coordination/caller.py:1:15: COORD001 {EE} is deprecated; "
        f"use 'from app.coordination import event_router as event_emitters'{DUE} [fixable]"
    ]


NEGATIVES = [
    pytest.param("import app.coordination.event_emitters_v2\n", id="prefix-sibling"),
    pytest.param("from app.distributed.sync_coordinator import SyncCoordinator\n", id="same-leaf-elsewhere"),
    pytest.param("import event_emitters\n", id="top-level-same-leaf"),
    pytest.param("from app.coordination import event_router, sync_facade\n", id="facades"),
    pytest.param("from app.coordination.cluster.health import UnifiedHealthManager\n", id="facade-name"),
    pytest.param("# app.coordination.event_emitters in a comment\nx = 'event_emitters'\n", id="comment-and-plain-string"),
    pytest.param("from .. import coordination\n", id="relative-package"),
]


@pytest.mark.parametrize("source", NEGATIVES)
def test_no_finding(project, source):
    assert check(project, source) == []


def test_type_checking_ignored_by_option(project):
    source = (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import app.coordination.event_emitters\n"
        "else:\n    import app.coordination.sync_coordinator\n"
    )
    got = check(project, source, "--coordination-type-checking=ignore")
    assert got == [
        "app/training/mod.py:5:12: COORD001 app.coordination.sync_coordinator is deprecated; "
        f"use 'import app.coordination.sync_facade'{DUE} [fixable]"
    ]


# -- COORD003 ---------------------------------------------------------------------
def test_COORD003_past_removal(project):
    project.write({"app/training/mod.py": "import app.coordination.event_emitters\n"})
    got = project.lines("--coordination-today=2026-07-01", "app/training/mod.py")
    assert got == [f"app/training/mod.py:1:8: COORD003 {EE} is deprecated; use 'import {ER}'{PAST} [fixable]"]


def test_COORD003_on_the_removal_day_is_still_COORD001(project):
    project.write({"app/training/mod.py": "import app.coordination.event_emitters\n"})
    got = project.lines("--coordination-today=2026-06-30", "app/training/mod.py")
    assert got == [f"app/training/mod.py:1:8: COORD001 {EE} is deprecated; use 'import {ER}'{DUE} [fixable]"]


# -- COORD004 ---------------------------------------------------------------------
def test_COORD004_bypass(project):
    source = "from app.coordination.unified_health_manager import UnifiedHealthManager\nfrom app.coordination import auto_sync_daemon\n"
    assert check(project, source) == [
        "app/training/mod.py:1:1: COORD004 app.coordination.unified_health_manager is fronted by "
        f"{HEALTH}; import from {HEALTH} instead",
        "app/training/mod.py:2:30: COORD004 app.coordination.auto_sync_daemon is fronted by "
        "app.coordination.sync_facade; import from app.coordination.sync_facade instead",
    ]


def test_COORD004_inside_subsystem_is_fine(project):
    source = "from app.coordination.unified_health_manager import UnifiedHealthManager\n"
    assert check(project, source, name="app/coordination/cluster/health.py") == []


def test_COORD004_own_tests_are_fine(project):
    source = "from app.coordination.unified_health_manager import UnifiedHealthManager\n"
    assert check(project, source, name="tests/test_unified_health_manager.py") == []


# -- COORD005 ---------------------------------------------------------------------
def test_COORD005_string_references(project):
    source = textwrap.dedent(
        """\
        import importlib, sys
        from unittest import mock
        importlib.import_module("app.coordination.event_emitters")
        __import__("app.coordination.sync_coordinator")
        mock.patch("app.coordination.health_check_orchestrator.HealthCheckOrchestrator.start")
        mock.patch.dict("sys.modules", {"app.coordination.event_emitters": None})
        importlib.import_module(".event_emitters", "app.coordination")
        sys.modules["app.coordination.host_health_policy"]

        def test_x(monkeypatch):
            monkeypatch.setattr("app.coordination.cross_process_events.publish_event", print)
        """
    )
    assert check(project, source) == [f"app/training/mod.py:{line}" for line in [
        f"3:25: COORD005 '{EE}' names deprecated module {EE}; use '{ER}'{DUE} [fixable]",
        "4:12: COORD005 'app.coordination.sync_coordinator' names deprecated module app.coordination.sync_coordinator; "
        f"use 'app.coordination.sync_facade'{DUE} [fixable]",
        f"5:12: COORD005 '{HCO}.HealthCheckOrchestrator.start' names deprecated module {HCO}; "
        f"use '{HEALTH}.UnifiedHealthManager.start'{DUE} [fixable]",
        f"6:33: COORD005 '{EE}' names deprecated module {EE}; use '{ER}'{DUE} [fixable]",
        f"7:25: COORD005 '.event_emitters' names deprecated module {EE}; use '{ER}'{DUE} [fixable]",
        "8:13: COORD005 'app.coordination.host_health_policy' names deprecated module app.coordination.host_health_policy; "
        f"use '{HEALTH}'{DUE} [fixable]",
        "11:25: COORD005 'app.coordination.cross_process_events.publish_event' names deprecated module "
        f"app.coordination.cross_process_events; use '{ER}.publish'{DUE} [fixable]",
    ]]


# -- allowed importers and wrappers -------------------------------------------------------
def test_allowed_importers_are_not_reported(project):
    package_tree(project.root, ["app.coordination.deprecated"])
    source = "import app.coordination.event_emitters\n"
    assert check(project, source, name="tests/test_event_emitters.py") == []
    assert check(project, source, name="app/coordination/deprecated/shim.py") == []


def test_wrapper_itself_is_not_reported(project):
    source = "from app.coordination.unified_health_manager import UnifiedHealthManager as HealthCheckOrchestrator\n"
    assert check(project, source, name="app/coordination/health_check_orchestrator.py") == []


# -- flake8 integration: selection, noqa, options, stdin, jobs --------------------------
SOURCE = "import app.coordination.event_emitters\nimport app.coordination.sync_coordinator  # noqa: COORD001\n"
EXPECTED_1 = f"app/training/mod.py:1:8: COORD001 {EE} is deprecated; use 'import {ER}'{DUE} [fixable]"


def test_noqa_with_code(project):
    assert check(project, SOURCE) == [EXPECTED_1]


def test_on_by_default_without_select(project):
    project.write({"app/training/mod.py": SOURCE})
    from conftest import BIN, run

    result = run([str(BIN / "flake8"), TODAY, "app/training/mod.py"], project.root)
    assert [line for line in result.stdout.splitlines() if " COORD" in line] == [EXPECTED_1]
    assert result.returncode == 1


def test_extend_select_and_per_file_ignores(project):
    project.write({
        "app/training/mod.py": SOURCE,
        "app/training/other.py": SOURCE,
        "setup.cfg": "[flake8]\nextend-select = COORD\nper-file-ignores =\n    app/training/other.py: COORD001\n",
    })
    from conftest import BIN, run

    result = run([str(BIN / "flake8"), TODAY, "app"], project.root)
    assert [line for line in result.stdout.splitlines() if " COORD" in line] == [EXPECTED_1]


def test_coordination_disable_option_and_config(project):
    source = "import app.coordination.event_emitters\nfrom app.coordination import auto_sync_daemon\n"
    assert [line.split(": ")[1][:8] for line in check(project, source, "--coordination-disable=COORD001")] == ["COORD004"]
    project.write({"setup.cfg": "[flake8]\ncoordination-disable = COORD004\n"})
    assert [line.split(": ")[1][:8] for line in project.lines(TODAY, "app/training/mod.py")] == ["COORD001"]


def test_stdin_editor_path(project):
    # python-lsp-server pipes the buffer to `flake8 -` without a display name
    got = project.lines(TODAY, "-", stdin="x = 1\nimport app.coordination.event_emitters\n")
    assert got == [f"stdin:2:8: COORD001 {EE} is deprecated; use 'import {ER}'{DUE} [fixable]"]


def test_stdin_display_name_resolves_relative_imports(project):
    project.write({"app/training/mod.py": ""})
    source = "from ..coordination import event_emitters\n"
    got = project.lines(TODAY, "--stdin-display-name=app/training/mod.py", "-", stdin=source)
    assert got == [
        f"app/training/mod.py:1:28: COORD001 {EE} is deprecated; "
        f"use 'from app.coordination import event_router as event_emitters'{DUE} [fixable]"
    ]
    # without a display name the package is unknown: relative imports cannot be resolved
    assert project.lines(TODAY, "-", stdin=source) == []


def test_jobs_gives_the_same_findings(project):
    files = {f"app/training/m{i}.py": f"x = {i}\nimport app.coordination.event_emitters\n" for i in range(12)}
    project.write(files)
    serial = project.lines(TODAY, "--jobs=1", "app")
    parallel = project.lines(TODAY, "--jobs=2", "app")
    assert len(serial) == 12
    assert sorted(parallel) == sorted(serial)


def test_syntax_error_file_is_left_to_flake8(project):
    project.write({"app/training/bad.py": "import app.coordination.event_emitters\ndef (:\n"})
    result = project.run(TODAY, "--select=COORD,E999", "app/training/bad.py")
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith("app/training/bad.py:2:")
    assert "E999" in result.stdout


def test_examples_known_set(flake8_path):
    from conftest import BIN, EXAMPLES, run

    result = run([str(BIN / "flake8"), "--select=COORD", TODAY, "."], EXAMPLES)
    got = [line.split(" ")[0] + " " + line.split(" ")[1] for line in result.stdout.splitlines()]
    assert sorted(got) == sorted([
        "./app/monitoring/dashboard.py:6:30: COORD004",
        "./app/monitoring/dashboard.py:7:1: COORD004",
        "./app/monitoring/dashboard.py:12:38: COORD005",
        "./app/training/legacy_loop.py:6:8: COORD001",
        "./app/training/legacy_loop.py:7:1: COORD001",
        "./app/training/legacy_loop.py:7:64: COORD002",
        "./app/training/legacy_loop.py:8:1: COORD001",
        "./app/training/legacy_loop.py:9:5: COORD002",
        "./app/training/legacy_loop.py:14:56: COORD002",
        "./app/training/legacy_loop.py:17:56: COORD002",
        "./app/training/legacy_loop.py:29:32: COORD001",
        "./scripts/sync_now.py:2:47: COORD002",
        "./tests/test_legacy_loop.py:8:21: COORD005",
        "./tests/test_legacy_loop.py:14:21: COORD005",
    ])


@pytest.mark.parametrize("setting, message", [
    ("coordination-disable = COORD009", "--coordination-disable: 'COORD009' is not a COORD code "
                                        "(COORD001, COORD002, COORD003, COORD004, COORD005)"),
    ("coordination-type-checking = skip", "--coordination-type-checking: 'skip' is not one of report, ignore"),
    ("coordination-today = soon", "'soon' is not a date (YYYY-MM-DD)"),
])
def test_bad_option_values_in_config_are_one_message(project, setting, message):
    project.write({"setup.cfg": f"[flake8]\n{setting}\n", "app/training/mod.py": "import os\n"})
    result = project.run("app/training/mod.py")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr == f"flake8-coordination: {message}\n"


# -- only what the replacement module really defines is offered --------------------------
def test_COORD001_name_missing_from_the_replacement_is_not_offered(project):
    source = "from app.coordination.event_emitters import publish, poll_events\n"
    assert check(project, source) == [
        f"app/training/mod.py:1:1: COORD001 {EE} is deprecated; use 'from {ER} import publish'; "
        f"no automatic fix: {ER} does not define or re-export poll_events{DUE}"
    ]


def test_COORD002_rename_target_missing_is_said(project):
    project.write({"app/coordination/cluster/health.py": "def wire_health_events(): ...\n"})
    source = "from app.coordination.health_check_orchestrator import HealthCheckOrchestrator\n"
    assert check(project, source) == [
        f"app/training/mod.py:1:56: COORD002 {HCO}.HealthCheckOrchestrator is deprecated; "
        f"use 'from {HEALTH} import UnifiedHealthManager' (but {HEALTH} does not define or re-export "
        f"UnifiedHealthManager: fix the registry or the module){DUE}"
    ]


def test_replacement_module_absent_from_the_tree(project):
    (project.root / "app/coordination/event_router.py").unlink()
    assert check(project, "from app.coordination.event_emitters import publish\n") == [
        f"app/training/mod.py:1:1: COORD001 {EE} is deprecated; no automatic fix: {ER} is not in the source tree{DUE}"
    ]


def test_replacement_outside_the_tree_is_trusted(flake8_path):
    package_tree(flake8_path.root, ["lib"])
    flake8_path.write({"lib/mod.py": "from app.coordination.event_emitters import publish\n"})
    assert flake8_path.lines(TODAY, "lib/mod.py") == [
        f"lib/mod.py:1:1: COORD001 {EE} is deprecated; use 'from {ER} import publish'{DUE} [fixable]"
    ]


def test_COORD001_module_without_replacement(flake8_path):
    flake8_path.write({
        "pyproject.toml": '[tool.flake8-coordination.deprecated."app.util_old"]\nreason = "dropped"\n',
        "app/__init__.py": "",
        "app/mod.py": "import app.util_old\nimport app.util_old as u\nfrom app.util_old import x\n",
    })
    assert flake8_path.lines(TODAY, "app/mod.py") == [
        "app/mod.py:1:8: COORD001 app.util_old is deprecated; it has no replacement",
        "app/mod.py:2:8: COORD001 app.util_old is deprecated; it has no replacement",
        "app/mod.py:3:1: COORD001 app.util_old is deprecated; it has no replacement",
    ]


def test_COORD001_replacement_submodule_missing(project):
    source = "import app.coordination.event_emitters.extra\nfrom app.coordination import sync_coordinator\n"
    project.write({"app/coordination/sync_facade.py": ""})
    (project.root / "app/coordination/sync_facade.py").unlink()
    assert check(project, source) == [
        f"app/training/mod.py:1:8: COORD001 {EE}.extra is deprecated; no automatic fix: {ER}.extra is not in the "
        f"source tree{DUE}",
        "app/training/mod.py:2:30: COORD001 app.coordination.sync_coordinator is deprecated; no automatic fix: "
        f"app.coordination.sync_facade is not in the source tree{DUE}",
    ]


def test_replacement_in_a_namespace_package(flake8_path):
    flake8_path.write({
        "pyproject.toml": '[tool.flake8-coordination.deprecated."lib.old"]\nreplacement = "lib.new"\n',
        "lib/new.py": "def f(): ...\n",  # lib/ has no __init__.py
        "lib/user.py": "import lib.old\nfrom lib.old import f, g\n",
    })
    assert flake8_path.lines(TODAY, "lib/user.py") == [
        "lib/user.py:1:8: COORD001 lib.old is deprecated; use 'import lib.new' [fixable]",
        "lib/user.py:2:1: COORD001 lib.old is deprecated; use 'from lib.new import f'; "
        "no automatic fix: lib.new does not define or re-export g",
    ]
