"""The registry: built-in default, pyproject.toml and setup.cfg, validation."""
from __future__ import annotations

import datetime

import pytest

from conftest import BIN, package_tree, run, write_tree
from flake8_coordination.config import ConfigError, build_settings, load_settings, read_table

PYPROJECT = """\
[tool.flake8-coordination]
use-default = false
package = "lib"
target-module-count = 3

[tool.flake8-coordination.deprecated."lib.old"]
replacement = "lib.new"
reason = "merged into lib.new"
removal = 2026-03-31
allow = ["lib.compat"]
names = { Old = "lib.new:New", Gone = { replacement = "lib.new:make", manual = true, note = "call make()" } }

[tool.flake8-coordination.facades."lib.api"]
fronts = ["lib.engine"]
members = ["lib.plugins"]
"""

SETUP_CFG = """\
[flake8-coordination]
use-default = false
package = lib

[flake8-coordination:deprecated:lib.old]
replacement = lib.new
removal = Q1 2026
allow = lib.compat
names =
    Old = lib.new:New

[flake8-coordination:facade:lib.api]
fronts = lib.engine
members = lib.plugins
"""


def test_default_registry_is_the_seed():
    registry = build_settings({}, "built-in default").registry
    assert registry.package == "app.coordination"
    assert registry.target_module_count == 15
    old_paths = [m for m in registry.deprecations if m.count(".") == 2]
    assert sorted(old_paths) == [
        "app.coordination.cross_process_events",
        "app.coordination.event_emitters",
        "app.coordination.health_check_orchestrator",
        "app.coordination.host_health_policy",
        "app.coordination.sync_coordinator",
        "app.coordination.system_health_monitor",
    ]
    assert {e.removal for e in registry.deprecations.values()} == {datetime.date(2026, 6, 30)}
    move = registry.name_move("app.coordination.health_check_orchestrator", "HealthCheckOrchestrator")
    assert (move.new_module, move.new_name, move.manual) == ("app.coordination.cluster.health", "UnifiedHealthManager", False)
    assert registry.facade_for("app.coordination.node_health_monitor").module == "app.coordination.cluster.health"
    assert registry.facade_for("app.coordination.ephemeral_sync").module == "app.coordination.sync_facade"
    assert registry.facade_for("app.distributed.data_events").module == "app.coordination.event_router"


@pytest.mark.parametrize("name, text", [("pyproject.toml", PYPROJECT), ("setup.cfg", SETUP_CFG)])
def test_project_registry_replaces_default(tmp_path, name, text):
    write_tree(tmp_path, {name: text})
    settings = load_settings(start=tmp_path / "lib" / "x.py")
    registry = settings.registry
    assert list(registry.deprecations) == ["lib.old"]
    entry = registry.deprecations["lib.old"]
    assert entry.replacement == "lib.new"
    assert entry.removal == datetime.date(2026, 3, 31)
    assert entry.allow == ("lib.compat",)
    assert entry.names["Old"].new_name == "New"
    assert registry.facade_for("lib.engine.core").module == "lib.api"


def test_project_registry_extends_default(tmp_path):
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT.replace("use-default = false", "use-default = true")})
    registry = load_settings(start=tmp_path).registry
    assert "lib.old" in registry.deprecations
    assert "app.coordination.event_emitters" in registry.deprecations


def test_flake8_uses_the_nearest_project_registry(tmp_path):
    write_tree(tmp_path, {
        "pyproject.toml": PYPROJECT,
        "lib/user.py": "from lib.old import Old, Gone, other\nimport lib.engine\n",
        "lib/new.py": "other = 1\nclass New: ...\ndef make(): ...\n",
    })
    package_tree(tmp_path, ["lib", "lib.plugins"])
    (tmp_path / "lib" / "plugins" / "p.py").write_text("import lib.engine\n")
    result = run([str(BIN / "flake8"), "--select=COORD", "--coordination-today=2026-01-01", "lib"], tmp_path)
    assert result.stdout.splitlines() == [
        "lib/user.py:1:1: COORD001 lib.old is deprecated; use 'from lib.new import other' (removal due 2026-03-31) [fixable]",
        "lib/user.py:1:21: COORD002 lib.old.Old is deprecated; use 'from lib.new import New' (removal due 2026-03-31) [fixable]",
        "lib/user.py:1:26: COORD002 lib.old.Gone is deprecated; use 'from lib.new import make' "
        "(not a drop-in replacement; call make()) (removal due 2026-03-31)",
        "lib/user.py:2:8: COORD004 lib.engine is fronted by lib.api; import from lib.api instead",
    ]


def test_explicit_config_option_and_src_roots(tmp_path):
    text = PYPROJECT.replace('package = "lib"', 'package = "lib"\nsrc = ["src"]')
    write_tree(tmp_path, {"conf/pyproject.toml": text, "conf/src/lib/user.py": "import lib.old\n", "conf/src/lib/new.py": ""})
    result = run(
        [str(BIN / "flake8"), "--select=COORD", "--coordination-config=conf/pyproject.toml", "--coordination-today=2026-05-01",
         "conf/src/lib/user.py"],
        tmp_path,
    )
    assert result.stdout.splitlines() == [
        "conf/src/lib/user.py:1:8: COORD003 lib.old is deprecated; use 'import lib.new' (removal was due 2026-03-31) [fixable]"
    ]


BAD = [
    ("[tool.flake8-coordination]\nfoo = 1\n", "foo: unknown key"),
    ("[tool.flake8-coordination]\ntarget-module-count = 'x'\n", "target-module-count: must be an integer, not str 'x'"),
    ('[tool.flake8-coordination.deprecated."a..b"]\nreplacement = "c"\n', "deprecated: 'a..b' is not a dotted module name"),
    ('[tool.flake8-coordination.deprecated."a.b"]\nremoval = "soon"\n', "deprecated.'a.b'.removal: 'soon' is not a date"),
    ('[tool.flake8-coordination.deprecated."a.b"]\nnames = { X = "c" }\n', "deprecated.'a.b'.names.X: must be 'module:name', not 'c'"),
    (
        '[tool.flake8-coordination.deprecated."a.b"]\nnames = { X = "a.c:Y" }\n'
        '[tool.flake8-coordination.deprecated."a.c"]\nnames = { Y = "a.b:X" }\n',
        "renames form a cycle: a.b:X -> a.c:Y -> a.b:X",
    ),
    (
        '[tool.flake8-coordination.deprecated."a.b"]\nreplacement = "a.c"\n'
        '[tool.flake8-coordination.deprecated."a.c"]\nreplacement = "a.b"\n',
        "replacements form a cycle: a.b -> a.c -> a.b",
    ),
    ('[tool.flake8-coordination.facades."a.api"]\nfronts = []\n', "facades.'a.api'.fronts: a facade must front at least one module"),
    ("[tool.flake8-coordination\n", "invalid TOML"),
]


@pytest.mark.parametrize("text, message", BAD)
def test_malformed_registry_is_one_located_message(tmp_path, text, message):
    path = tmp_path / "pyproject.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        build_settings(read_table(path), str(path))
    assert str(info.value).startswith(f"{path}: ")
    assert message in str(info.value)


def test_malformed_registry_in_flake8_is_a_clear_exit(tmp_path):
    write_tree(tmp_path, {"pyproject.toml": "[tool.flake8-coordination]\nfoo = 1\n", "m.py": "import os\n"})
    result = run([str(BIN / "flake8"), "m.py"], tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("flake8-coordination: ")
    assert "pyproject.toml: [tool.flake8-coordination].foo: unknown key" in result.stderr
