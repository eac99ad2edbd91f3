"""``flake8-coordination check``: the plugin's findings without flake8, as a real command."""
from __future__ import annotations

import json

from conftest import BIN, package_tree, run, write_tree

CHECK = [str(BIN / "flake8-coordination"), "check"]
TODAY = "--today=2026-01-01"
LINE = (
    "app/mod.py:1:8: COORD001 app.coordination.event_emitters is deprecated; "
    "use 'import app.coordination.event_router' (removal due 2026-06-30) [fixable]"
)


def project(tmp_path, source):
    package_tree(tmp_path, ["app", "app.coordination"])
    write_tree(tmp_path, {"app/mod.py": source, "app/coordination/event_router.py": "def publish(): ...\n"})
    return tmp_path


def test_text_output_and_exit_code(tmp_path):
    root = project(tmp_path, "import app.coordination.event_emitters\n")
    result = run([*CHECK, TODAY, "app"], root)
    assert (result.returncode, result.stdout.splitlines(), result.stderr) == (1, [LINE], "")


def test_clean_tree_exits_zero(tmp_path):
    root = project(tmp_path, "import app.coordination.event_router\n")
    result = run([*CHECK, TODAY, "app"], root)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_json_output(tmp_path):
    root = project(tmp_path, "x = 1\nfrom app.coordination import auto_sync_daemon\n")
    result = run([*CHECK, TODAY, "--format=json", "app"], root)
    assert json.loads(result.stdout) == [{
        "path": "app/mod.py", "line": 2, "column": 30, "code": "COORD004",
        "message": "app.coordination.auto_sync_daemon is fronted by app.coordination.sync_facade; "
                   "import from app.coordination.sync_facade instead",
        "module": "app.coordination.auto_sync_daemon", "fixable": False,
    }]


def test_noqa_is_read_as_flake8_reads_it(tmp_path):
    source = (
        "import app.coordination.event_emitters\n"
        "import app.coordination.event_emitters  # noqa: COORD001\n"
        "import app.coordination.event_emitters  # noqa: E501,COORD\n"  # only E501 is a code: reported
        "import app.coordination.event_emitters  # NOQA:COORD004\n"  # another code: reported
        "import app.coordination.event_emitters  # noqa\n"
        "import app.coordination.event_emitters  # noqa: COORD\n"  # no valid code: a blanket noqa, as in flake8
    )
    root = project(tmp_path, source)
    checked = run([*CHECK, TODAY, "app"], root).stdout.splitlines()
    flake8 = run([str(BIN / "flake8"), "--select=COORD", "--coordination-today=2026-01-01", "app"], root).stdout.splitlines()
    assert checked == flake8
    assert checked == [LINE, LINE.replace("app/mod.py:1:", "app/mod.py:3:"), LINE.replace("app/mod.py:1:", "app/mod.py:4:")]


def test_stdin_and_display_name(tmp_path):
    root = project(tmp_path, "")
    result = run([*CHECK, TODAY, "--stdin-display-name=app/mod.py", "-"], root, stdin="import app.coordination.event_emitters\n")
    assert result.stdout.splitlines() == [LINE]


def test_disable(tmp_path):
    root = project(tmp_path, "import app.coordination.event_emitters\n")
    result = run([*CHECK, TODAY, "--disable=COORD001", "app"], root)
    assert (result.returncode, result.stdout) == (0, "")


def test_unknown_code_to_disable_is_refused(tmp_path):
    root = project(tmp_path, "import app.coordination.event_emitters\n")
    for code in ("COORD009", "coord001", "COORD"):
        result = run([*CHECK, TODAY, f"--disable={code}", "app"], root)
        assert result.returncode == 2
        assert result.stderr == (
            f"flake8-coordination: error: --disable: {code!r} is not a COORD code "
            "(COORD001, COORD002, COORD003, COORD004, COORD005)\n"
        )


def test_flake8_configuration_is_shared_with_the_plugin(tmp_path):
    root = project(tmp_path, "import app.coordination.event_emitters\nfrom app.coordination import auto_sync_daemon\n")
    write_tree(root, {"setup.cfg": "[flake8]\ncoordination-today = 2026-01-01\ncoordination-disable = COORD004\n"})
    checked = run([*CHECK, "app"], root).stdout.splitlines()
    flake8 = run([str(BIN / "flake8"), "--select=COORD", "app"], root).stdout.splitlines()
    assert checked == flake8 == [LINE]
    overridden = run([*CHECK, "--today=2026-07-01", "app"], root).stdout
    assert overridden.startswith("app/mod.py:1:8: COORD003 ")


def test_bad_flake8_option_is_a_located_error(tmp_path):
    root = project(tmp_path, "import os\n")
    write_tree(root, {"tox.ini": "[flake8]\ncoordination-disable = COORD042\n"})
    result = run([*CHECK, "app"], root)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"flake8-coordination: error: {root / 'tox.ini'}: [flake8] coordination-disable: 'COORD042' is not a COORD code "
        "(COORD001, COORD002, COORD003, COORD004, COORD005)\n"
    )


def test_version_is_read_only_when_asked_for(tmp_path):
    from importlib.metadata import version

    result = run([str(BIN / "flake8-coordination"), "--version"], tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"flake8-coordination {version('flake8-coordination')}\n", "")
    probe = "import sys, flake8_coordination.cli.check, flake8_coordination.output; print('importlib.metadata' in sys.modules)"
    result = run([str(BIN / "python"), "-c", probe], tmp_path)
    assert result.stdout == "False\n"
