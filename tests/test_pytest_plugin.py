"""The pytest plugin, run by pytest's own ``pytester`` on small packages written here."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import Dict

import pytest

from flake8_coordination.wrappers import names_module

pytest_plugins = ["pytester"]

TODAY = "--coordination-today=2026-01-15"
FAST = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest", "--assert=plain")

NEW = """
class Thing:
    pass


def make():
    return Thing()
"""

WARNS = """
import warnings
warnings.warn("app.old is deprecated; use app.new instead", DeprecationWarning, stacklevel=2)
from app.new import Thing as OldThing, make
"""

REGISTRY = """
[tool.flake8-coordination]
use-default = false

[tool.flake8-coordination.deprecated."app.old"]
replacement = "app.new"
removal = "2026-06-30"
names = { OldThing = "app.new:Thing", make = "app.new:make" }
"""


def write(root: Path, files: Dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def project(pytester: pytest.Pytester, old: str = WARNS, registry: str = REGISTRY, **extra: str) -> None:
    files = {"app/__init__.py": "", "app/new.py": NEW, "app/old.py": old, "pyproject.toml": registry}
    files.update({name.replace("__", "/") + ".py": text for name, text in extra.items()})
    write(pytester.path, files)


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest(*FAST, "-rA", "--coordination-wrappers", TODAY, *args)


# -- switched off by default --------------------------------------------------------
def test_off_by_default_collects_nothing(pytester: pytest.Pytester) -> None:
    project(pytester)
    result = pytester.runpytest(*FAST, "--collect-only", "-q")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    assert "app.old" not in result.stdout.str()


def test_ini_option_switches_it_on(pytester: pytest.Pytester) -> None:
    project(pytester, registry=REGISTRY + "\n[tool.pytest.ini_options]\ncoordination_wrappers = true\n")
    result = pytester.runpytest(*FAST, "--collect-only", "-q", TODAY)
    result.stdout.fnmatch_lines([
        "pyproject.toml::app.old::warns",
        "pyproject.toml::app.old::name[OldThing]",
        "pyproject.toml::app.old::name[make]",
        "pyproject.toml::app.old::removal",
        "4 tests collected*",
    ])


def test_items_sit_next_to_ordinary_tests_and_obey_k(pytester: pytest.Pytester) -> None:
    project(pytester, test_x="def test_x():\n    pass\n")
    result = run(pytester, "-k", "warns or test_x")
    result.assert_outcomes(passed=2, deselected=3)
    result.stdout.fnmatch_lines(["PASSED test_x.py::test_x", "PASSED pyproject.toml::app.old::warns"])


# -- 1. the warning -------------------------------------------------------------------
def test_wrapper_that_warns_passes_every_check(pytester: pytest.Pytester) -> None:
    project(pytester)
    run(pytester).assert_outcomes(passed=4)


def test_wrapper_that_does_not_warn(pytester: pytest.Pytester) -> None:
    project(pytester, old="from app.new import Thing as OldThing, make\n")
    result = run(pytester, "-k", "warns")
    result.assert_outcomes(failed=1, deselected=3)
    result.stdout.fnmatch_lines([
        "app.old: importing it in a fresh interpreter emits no warning",
        "  where:    app/old.py",
        "  expected: a DeprecationWarning naming app.new",
        "  instead:  at the top of the wrapper write",
        "              import warnings",
        '              warnings.warn("app.old is deprecated and will be removed after 2026-06-30; use app.new instead",',
        "                            DeprecationWarning, stacklevel=2)",
        "FAILED pyproject.toml::app.old::warns - app.old: importing it in a fresh *",
    ])


def test_wrapper_that_warns_with_the_wrong_category(pytester: pytest.Pytester) -> None:
    project(pytester, old=WARNS.replace("DeprecationWarning", "UserWarning"))
    result = run(pytester, "-k", "warns")
    result.assert_outcomes(failed=1, deselected=3)
    result.stdout.fnmatch_lines([
        "app.old: warns with UserWarning, not DeprecationWarning (the registry's category)",
        "  where:    app/old.py",
        "  saw:      UserWarning: app.old is deprecated; use app.new instead",
    ])


def test_registry_category_is_honoured(pytester: pytest.Pytester) -> None:
    registry = REGISTRY.replace('replacement = "app.new"', 'replacement = "app.new"\ncategory = "FutureWarning"')
    project(pytester, old=WARNS.replace("DeprecationWarning", "FutureWarning"), registry=registry)
    run(pytester, "-k", "warns").assert_outcomes(passed=1, deselected=3)


def test_warning_that_does_not_name_the_replacement(pytester: pytest.Pytester) -> None:
    project(pytester, old=WARNS.replace("use app.new instead", "see the docs"))
    result = run(pytester, "-k", "warns")
    result.assert_outcomes(failed=1, deselected=3)
    result.stdout.fnmatch_lines([
        "app.old: its warnings do not name the replacement app.new",
        "  saw:      DeprecationWarning: app.old is deprecated; see the docs",
    ])


def test_leaf_counts_unless_full_match_is_asked_for(pytester: pytest.Pytester) -> None:
    project(pytester, old=WARNS.replace("use app.new instead", "use new.py instead"))
    run(pytester, "-k", "warns").assert_outcomes(passed=1, deselected=3)
    strict = run(pytester, "-k", "warns", "-o", "coordination_warning_match=full")
    strict.assert_outcomes(failed=1, deselected=3)


def test_only_the_wrappers_own_warnings_count(pytester: pytest.Pytester) -> None:
    # the package imports the silent wrapper eagerly and warns about app.new itself:
    # the wrapper is run again on its own, so the package's warning is not credited to it
    init = 'import warnings\nwarnings.warn("use app.new", DeprecationWarning)\nfrom app import old\n'
    project(pytester, old="from app.new import Thing as OldThing, make\n")
    write(pytester.path, {"app/__init__.py": init})
    result = run(pytester, "-k", "warns")
    result.assert_outcomes(failed=1, deselected=3)
    result.stdout.fnmatch_lines(["app.old: importing it in a fresh interpreter emits no warning"])


def test_wrapper_served_by_package_getattr(pytester: pytest.Pytester) -> None:
    init = """
    import importlib, warnings
    def __getattr__(name):
        if name == "old":
            warnings.warn("app.old is deprecated; use app.new", DeprecationWarning, stacklevel=2)
            return importlib.import_module("app._old_impl")
        raise AttributeError(name)
    """
    project(pytester)
    (pytester.path / "app" / "old.py").unlink()
    write(pytester.path, {"app/__init__.py": init, "app/_old_impl.py": "from app.new import Thing as OldThing, make\n"})
    run(pytester).assert_outcomes(passed=4)


# -- 2. moved names -------------------------------------------------------------------
def test_wrapper_that_re_exports_a_different_object(pytester: pytest.Pytester) -> None:
    project(pytester, old=WARNS + "\nclass OldThing:\n    pass\n")
    result = run(pytester, "-k", "OldThing")
    result.assert_outcomes(failed=1, deselected=3)
    result.stdout.fnmatch_lines([
        "app.old:OldThing: the wrapper's OldThing is not app.new:Thing",
        "  where:   app/old.py",
        "  wrapper: app.old.OldThing (type)",
        "  new:     app.new.Thing (type)",
        "  instead: re-export the very object: 'from app.new import Thing as OldThing' "
        "(or mark the name 'adapter = true' in the registry if the difference is intended)",
    ])


def test_adapter_may_be_a_different_object(pytester: pytest.Pytester) -> None:
    registry = REGISTRY.replace('make = "app.new:make"', 'make = { replacement = "app.new:make", adapter = true }')
    old = WARNS.replace(", make", "") + "\ndef make():\n    return OldThing()\n"
    project(pytester, old=old, registry=registry)
    run(pytester, "-k", "name").assert_outcomes(passed=2, deselected=2)


def test_wrapper_that_lost_a_name(pytester: pytest.Pytester) -> None:
    project(pytester, old=WARNS.replace(", make", ""))
    result = run(pytester, "-k", "name")
    result.assert_outcomes(passed=1, failed=1, deselected=2)
    result.stdout.fnmatch_lines([
        "app.old:make: the wrapper lost make; 'from app.old import make' fails",
        "  where:   app/old.py",
        "  instead: keep it importable until removal: 'from app.new import make'",
    ])


def test_new_location_that_lost_a_name(pytester: pytest.Pytester) -> None:
    project(pytester, old=WARNS.replace("Thing as OldThing, make", "Thing as OldThing\nmake = None"))
    write(pytester.path, {"app/new.py": "class Thing:\n    pass\n"})
    result = run(pytester, "-k", "name")
    result.assert_outcomes(passed=1, failed=1, deselected=2)
    result.stdout.fnmatch_lines([
        "app.new:make: app.new has no make",
        "  where:   app.new (the registry says app.old:make moved there)",
        "  instead: define or re-export make in app.new, or correct the registry entry for make",
    ])


def test_manual_move_needs_only_the_new_name(pytester: pytest.Pytester) -> None:
    registry = REGISTRY.replace('make = "app.new:make"', 'make = { replacement = "app.new:make", manual = true }')
    project(pytester, old=WARNS.replace(", make", ""), registry=registry)
    run(pytester, "-k", "name").assert_outcomes(passed=2, deselected=2)


# -- 3. removal -------------------------------------------------------------------------
def test_past_removal_lists_remaining_importers(pytester: pytest.Pytester) -> None:
    project(pytester, users__a="import os\nfrom app.old import OldThing\n", users__b="import app.old\n")
    write(pytester.path, {"users/__init__.py": ""})
    result = run(pytester, "-k", "removal", "--coordination-today=2026-07-01")
    result.assert_outcomes(failed=1, deselected=3)
    result.stdout.fnmatch_lines([
        "app.old: remove this wrapper (removal was due 2026-06-30, today is 2026-07-01)",
        "  2 remaining importers to migrate first:",
        "    users/a.py:2:21: COORD003 app.old.OldThing is deprecated; use 'from app.new import Thing' "
        "(removal was due 2026-06-30) [[]fixable[]]",
        "    users/b.py:1:8: COORD003 app.old is deprecated; use 'import app.new' (removal was due 2026-06-30) [[]fixable[]]",
        "  instead: import from 'app.new' there (flake8-coordination fix rewrites the safe ones), "
        "then delete the wrapper and its registry entry",
    ])


def test_before_removal_the_removal_item_passes(pytester: pytest.Pytester) -> None:
    project(pytester, users__a="from app.old import OldThing\n")
    run(pytester, "-k", "removal").assert_outcomes(passed=1, deselected=3)


def test_past_removal_without_importers(pytester: pytest.Pytester) -> None:
    project(pytester)
    result = run(pytester, "-k", "removal", "--coordination-today=2026-07-01")
    result.assert_outcomes(failed=1, deselected=3)
    result.stdout.fnmatch_lines(["  no importers remain: delete the wrapper module and its registry entry"])


# -- wrappers that cannot be imported ----------------------------------------------------
def test_missing_third_party_dependency_is_skipped_with_its_name(pytester: pytest.Pytester) -> None:
    project(pytester, old="import torch_not_installed_here\n" + WARNS)
    result = run(pytester)
    result.assert_outcomes(skipped=3, passed=1)
    result.stdout.fnmatch_lines([
        "SKIPPED [[]3[]] pyproject.toml:4: app.old: cannot be imported without the third-party "
        "dependency 'torch_not_installed_here' (ModuleNotFoundError at app/old.py:1: "
        "No module named 'torch_not_installed_here')",
    ])


def test_optional_dependency_caught_then_used_is_a_missing_dependency(pytester: pytest.Pytester) -> None:
    old = "try:\n    import torch_not_installed_here as nn\nexcept ImportError:\n    nn = None\nLayer = nn.Module\n"
    project(pytester, old=old + WARNS)
    result = run(pytester, "-k", "warns")
    result.assert_outcomes(skipped=1, deselected=3)
    result.stdout.fnmatch_lines([
        "SKIPPED [[]1[]] pyproject.toml:4: app.old: cannot be imported without the third-party dependency "
        "'torch_not_installed_here' (missing while importing it, which then raised AttributeError at "
        "app/old.py:5: 'NoneType' object has no attribute 'Module')",
    ])


def test_coordination_python_selects_the_interpreter(pytester: pytest.Pytester) -> None:
    project(pytester)
    run(pytester, "-k", "warns", f"--coordination-python={sys.executable}").assert_outcomes(passed=1, deselected=3)
    result = run(pytester, "--coordination-python=/no/such/python")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: flake8-coordination: coordination_python: '/no/such/python' is not an executable"])


def test_missing_dependency_can_fail_instead(pytester: pytest.Pytester) -> None:
    project(pytester, old="import torch_not_installed_here\n" + WARNS)
    run(pytester, "-o", "coordination_missing_dependency=fail").assert_outcomes(failed=3, passed=1)


def test_broken_wrapper_fails_with_the_error(pytester: pytest.Pytester) -> None:
    project(pytester, old=WARNS + "raise RuntimeError('no GPU')\n")
    result = run(pytester, "-k", "warns")
    result.assert_outcomes(failed=1, deselected=3)
    result.stdout.fnmatch_lines([
        "app.old: importing it raises RuntimeError",
        "  error:   no GPU",
        "  where:   app/old.py:4",
        "  instead: importing a deprecation wrapper must succeed; fix the import above",
    ])


def test_missing_project_module_is_a_failure(pytester: pytest.Pytester) -> None:
    project(pytester, old="import app.vanished\n" + WARNS)
    result = run(pytester, "-k", "warns")
    result.assert_outcomes(failed=1, deselected=3)
    result.stdout.fnmatch_lines(["app.old: importing it raises ModuleNotFoundError"])


def test_removed_wrapper_is_skipped(pytester: pytest.Pytester) -> None:
    project(pytester)
    (pytester.path / "app" / "old.py").unlink()
    result = run(pytester, "-k", "warns")
    result.assert_outcomes(skipped=1, deselected=3)
    result.stdout.fnmatch_lines(["*app.old: no such module (already removed? then drop its registry entry)"])


def test_src_layout_through_coordination_pythonpath(pytester: pytest.Pytester) -> None:
    project(pytester)
    (pytester.path / "src").mkdir()
    (pytester.path / "app").rename(pytester.path / "src" / "app")
    run(pytester, "-k", "warns").assert_outcomes(skipped=1, deselected=3)
    run(pytester, "-k", "warns", "-o", "coordination_pythonpath=src").assert_outcomes(passed=1, deselected=3)


# -- bad input -----------------------------------------------------------------------------
def test_bad_registry_is_one_located_usage_error(pytester: pytest.Pytester) -> None:
    project(pytester, registry=REGISTRY.replace('removal = "2026-06-30"', 'removal = "someday"'))
    result = run(pytester)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([
        "ERROR: flake8-coordination: */pyproject.toml: deprecated.'app.old'.removal: 'someday' is not a date*",
    ])


def test_bad_today_is_a_usage_error(pytester: pytest.Pytester) -> None:
    project(pytester)
    result = run(pytester, "--coordination-today=tomorrow")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: flake8-coordination: --coordination-today: 'tomorrow' is not a date*"])


# -- the matcher, on its own ------------------------------------------------------------------
@pytest.mark.parametrize(("message", "mode", "expected"), [
    ("use app.coordination.event_router instead", "tail", True),
    ("use app.coordination.event_router instead", "full", True),
    ("use event_router instead", "tail", True),
    ("use event_router instead", "full", False),
    ("use coordination.event_router.", "tail", True),
    ("see app/coordination/event_router.py", "tail", True),
    ("see app/coordination/event_router.py", "full", True),
    ("use event_router_v2 instead", "tail", False),
    ("use other.event_router instead", "tail", False),
    ("use the router instead", "tail", False),
])
def test_names_module(message: str, mode: str, expected: bool) -> None:
    assert names_module(message, "app.coordination.event_router", mode) is expected


def test_built_in_registry_is_used_without_a_config(pytester: pytest.Pytester) -> None:
    write(pytester.path, {"pytest.ini": "[pytest]\n"})
    result = pytester.runpytest(*FAST, "--coordination-wrappers", "--collect-only", "-q", TODAY)
    result.stdout.fnmatch_lines([
        "flake8-coordination-default::app.coordination.event_emitters::warns",
        "flake8-coordination-default::app.coordination.event_emitters::removal",
    ])


def test_ringrift_script_skips_cleanly_without_a_tree(tmp_path: Path) -> None:
    import subprocess

    script = Path(__file__).resolve().parent.parent / "scripts" / "ringrift_wrappers.py"
    done = subprocess.run([sys.executable, str(script), str(tmp_path / "absent")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert done.stdout.startswith("skipped: no RingRift ai-service tree")
