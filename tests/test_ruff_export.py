"""``flake8-coordination ruff``: the banned-api table, written into and checked against TOML
files, and compared with the real ruff's TID251 findings on examples/."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_coordination import ruff_export
from flake8_coordination.config import build_settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
TODAY = "2026-01-15"
TABLE = "tool.ruff.lint.flake8-tidy-imports.banned-api"
DUE = " (removal due 2026-06-30)"


def registry(table=None):
    return build_settings(table if table is not None else {}, "pyproject.toml").registry


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flake8_coordination", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=60)


# -- the entries ------------------------------------------------------------------
def test_module_entry_names_the_replacement():
    banned = ruff_export.banned_api(registry())
    assert banned["app.coordination.event_emitters"] == (
        "COORD001 deprecated; use 'app.coordination.event_router' instead" + DUE
    )


def test_name_entry_gives_the_exact_import():
    banned = ruff_export.banned_api(registry())
    assert banned["app.coordination.cross_process_events.publish_event"] == (
        "COORD002 deprecated; use 'from app.coordination.event_router import publish'" + DUE
    )


def test_manual_name_entry_says_it_is_not_a_drop_in():
    banned = ruff_export.banned_api(registry())
    assert banned["app.coordination.system_health_monitor.SystemHealthMonitor"] == (
        "COORD002 deprecated; use 'from app.coordination.cluster.health import check_cluster_health' "
        "(not a drop-in replacement; the class-based monitor is gone; call check_cluster_health() instead)" + DUE
    )


def test_every_deprecated_module_and_moved_name_has_an_entry():
    reg = registry()
    banned = ruff_export.banned_api(reg)
    expected = set(reg.deprecations)
    expected |= {f"{m}.{n}" for m, e in reg.deprecations.items() for n in e.names}
    assert set(banned) == expected
    assert list(banned) == sorted(banned)


def test_module_without_replacement_and_date():
    reg = registry({"use-default": False, "deprecated": {"old.mod": {"reason": "gone"}}})
    assert ruff_export.banned_api(reg) == {"old.mod": "COORD001 deprecated; it has no replacement"}


@pytest.mark.parametrize("pattern, globs", [
    ("app.coordination.deprecated", ["**/app/coordination/deprecated.py", "**/app/coordination/deprecated/**"]),
    ("*test_event_emitters", ["**/*test_event_emitters.py", "**/*test_event_emitters/**"]),
    ("*test_sync_*", ["**/*test_sync_*.py", "**/*test_sync_*/**"]),
    ("tests.*test_x", ["**/tests/*test_x.py", "**/tests/*test_x/**"]),
])
def test_module_globs(pattern, globs):
    assert ruff_export.module_globs(pattern) == globs


def test_render_is_valid_toml_with_the_same_entries():
    banned = ruff_export.banned_api(registry())
    data = tomllib.loads(ruff_export.render(banned))
    table = data["tool"]["ruff"]["lint"]["flake8-tidy-imports"]["banned-api"]
    assert table == {target: {"msg": msg} for target, msg in banned.items()}


def test_render_for_ruff_toml_has_no_tool_prefix():
    text = ruff_export.render({"a.b": "COORD001 x"}, "ruff.toml")
    assert text.splitlines()[1] == "[lint.flake8-tidy-imports.banned-api]"
    assert tomllib.loads(text)["lint"]["flake8-tidy-imports"]["banned-api"] == {"a.b": {"msg": "COORD001 x"}}


def test_messages_are_escaped():
    text = ruff_export.render({"a.b": 'COORD001 say "hi" \\ there'})
    assert tomllib.loads(text)["tool"]["ruff"]["lint"]["flake8-tidy-imports"]["banned-api"]["a.b"]["msg"] == (
        'COORD001 say "hi" \\ there'
    )


# -- updating and checking a file -------------------------------------------------
EXISTING = """\
[project]
name = "demo"

[tool.ruff.lint]
external = ["COORD"]

[tool.ruff.lint.flake8-tidy-imports.banned-api]
"typing.cast".msg = "no casts here"
"app.gone".msg = "COORD001 deprecated; use 'app.new' instead"

[tool.other]
x = 1
"""
BANNED = {"a.old": "COORD001 deprecated; use 'a.new' instead", "a.old.Name": "COORD002 deprecated; use 'from a.new import Name'"}


def test_update_replaces_our_entries_and_keeps_the_rest():
    new = ruff_export.update(EXISTING, "pyproject.toml", BANNED)
    data = tomllib.loads(new)
    assert data["tool"]["ruff"]["lint"]["flake8-tidy-imports"]["banned-api"] == {
        "typing.cast": {"msg": "no casts here"},
        "a.old": {"msg": BANNED["a.old"]},
        "a.old.Name": {"msg": BANNED["a.old.Name"]},
    }
    assert data["tool"]["other"] == {"x": 1} and data["project"] == {"name": "demo"}
    assert data["tool"]["ruff"]["lint"]["external"] == ["COORD"]
    assert new.startswith(EXISTING.split("[tool.ruff.lint.flake8")[0])
    assert new.endswith("\n\n[tool.other]\nx = 1\n")
    assert ruff_export.update(new, "pyproject.toml", BANNED) == new


def test_update_appends_when_absent():
    text = '[project]\nname = "demo"\n'
    new = ruff_export.update(text, "pyproject.toml", BANNED)
    assert new.startswith(text + "\n" + ruff_export.GENERATED_NOTE + "\n[" + TABLE + "]\n")
    assert ruff_export.update(new, "pyproject.toml", BANNED) == new
    assert ruff_export.update("", "ruff.toml", BANNED).splitlines()[1] == "[lint.flake8-tidy-imports.banned-api]"


def test_update_with_per_file_ignores_is_idempotent():
    ignores = {"**/a/old.py": ["TID251"]}
    once = ruff_export.update(EXISTING, "pyproject.toml", BANNED, ignores)
    assert ruff_export.update(once, "pyproject.toml", BANNED, ignores) == once
    data = tomllib.loads(once)
    assert data["tool"]["ruff"]["lint"]["extend-per-file-ignores"] == ignores
    assert ruff_export.stale(data, "pyproject.toml", BANNED, ignores) == []


def test_stale_lists_missing_outdated_and_leftover_entries():
    data = tomllib.loads(EXISTING + '\n[tool.ruff.lint.flake8-tidy-imports.banned-api."a.old"]\nmsg = "COORD001 old text"\n'
                         .replace("[tool.other]\nx = 1\n", ""))
    problems = ruff_export.stale(data, "pyproject.toml", BANNED)
    assert [(p.target, p.problem) for p in problems] == [
        ("a.old", "outdated message"),
        ("a.old.Name", "missing"),
        ("app.gone", "no longer in the registry"),
    ]


def test_update_refuses_dotted_keys():
    text = '[tool.ruff]\nlint.flake8-tidy-imports.banned-api."x.y".msg = "m"\n'
    with pytest.raises(ruff_export.TomlProblem, match="dotted keys or as an inline table"):
        ruff_export.update(text, "pyproject.toml", BANNED)


def test_update_refuses_sub_tables():
    text = f'[{TABLE}]\n\n[{TABLE}."x.y"]\nmsg = "m"\n'
    with pytest.raises(ruff_export.TomlProblem, match="is a sub-table of a generated table"):
        ruff_export.update(text, "pyproject.toml", BANNED)


def test_update_refuses_invalid_toml():
    with pytest.raises(ruff_export.TomlProblem, match="invalid TOML"):
        ruff_export.update("[tool\n", "pyproject.toml", BANNED)


# -- the command ------------------------------------------------------------------
def test_cli_prints_the_table(tmp_path):
    result = cli(tmp_path, "ruff")
    assert result.returncode == 0, result.stderr
    table = tomllib.loads(result.stdout)["tool"]["ruff"]["lint"]["flake8-tidy-imports"]["banned-api"]
    assert table == {k: {"msg": v} for k, v in ruff_export.banned_api(registry()).items()}


def test_cli_output_then_check(tmp_path):
    target = tmp_path / "pyproject.toml"
    target.write_text(EXISTING, encoding="utf-8")
    stale = cli(tmp_path, "ruff", "--check", "pyproject.toml")
    assert stale.returncode == 1
    lines = stale.stdout.splitlines()
    assert lines[0] == f"pyproject.toml: [{TABLE}]: 'app.coordination.cross_process_events': missing"
    assert lines[-1] == f"pyproject.toml: [{TABLE}]: 'app.gone': no longer in the registry"
    assert stale.stderr.endswith("run: flake8-coordination ruff --output pyproject.toml\n")
    wrote = cli(tmp_path, "ruff", "--output", "pyproject.toml")
    assert wrote.returncode == 0 and wrote.stderr.startswith("pyproject.toml: wrote ruff's banned-api table")
    assert "typing.cast" in target.read_text(encoding="utf-8")
    fresh = cli(tmp_path, "ruff", "--check", "pyproject.toml")
    assert (fresh.returncode, fresh.stdout) == (0, "")
    again = cli(tmp_path, "ruff", "--output", "pyproject.toml")
    assert again.stderr == "pyproject.toml: ruff's banned-api table is up to date\n"


def test_cli_output_creates_a_new_file(tmp_path):
    result = cli(tmp_path, "ruff", "--output", "ruff.toml")
    assert result.returncode == 0, result.stderr
    assert "lint" in tomllib.loads((tmp_path / "ruff.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("args, message", [
    (("--check", "missing.toml"), "flake8-coordination: error: missing.toml: does not exist\n"),
    (("--check", "bad.toml"), "flake8-coordination: error: bad.toml: invalid TOML: "),
    (("--output", "bad.toml"), "flake8-coordination: error: bad.toml: invalid TOML: "),
    (("--output", "dotted.toml"), "flake8-coordination: error: dotted.toml: tool.ruff.lint.flake8-tidy-imports"
                                  ".banned-api: is written with dotted keys"),
])
def test_cli_bad_input_is_one_located_message(tmp_path, args, message):
    (tmp_path / "bad.toml").write_text("[tool\n", encoding="utf-8")
    dotted = '[tool.ruff]\nlint.flake8-tidy-imports.banned-api."x".msg = "m"\n'
    (tmp_path / "dotted.toml").write_text(dotted, encoding="utf-8")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    result = cli(tmp_path, "ruff", *args)
    assert result.returncode == 2
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_cli_output_and_check_are_exclusive(tmp_path):
    result = cli(tmp_path, "ruff", "--output", "a.toml", "--check", "b.toml")
    assert result.returncode == 2 and "not allowed with argument" in result.stderr


# -- the real ruff ------------------------------------------------------------------
needs_ruff = pytest.mark.skipif(RUFF is None, reason="ruff is not installed")


def ruff_json(cwd: Path, *args: str) -> list:
    result = subprocess.run([RUFF, "check", "--no-cache", "--output-format", "json", *args, "."],
                            cwd=cwd, capture_output=True, text=True, timeout=60)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


@needs_ruff
def test_external_keeps_our_noqa_comments(tmp_path):
    (tmp_path / "m.py").write_text("import os  # noqa: COORD001\n\nprint(os)\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.ruff.lint]\nselect = [\"RUF100\", \"RUF102\"]\n", encoding="utf-8")
    assert [d["code"] for d in ruff_json(tmp_path)] == ["RUF102"]  # invalid-rule-code: would be removed by --fix
    (tmp_path / "pyproject.toml").write_text(
        "[tool.ruff.lint]\nselect = [\"RUF100\", \"RUF102\"]\nexternal = [\"COORD\"]\n", encoding="utf-8")
    assert ruff_json(tmp_path) == []


@needs_ruff
def test_ruff_agrees_with_check_on_examples(tmp_path):
    """Real ruff with the generated table on examples/ against ``flake8-coordination check``.

    Every COORD001/COORD002 finding of ours is a TID251 finding of ruff at the same file,
    line and column, with the same code at the start of ruff's message. Ruff reports more, in
    two documented ways (docs/ruff.md):

    * ``from old import MovedName``: ruff bans the module *and* the name, so it also reports
      the module at the statement; we report only the moved name (COORD002);
    * ``old.attr`` after ``import old``: ruff reports each attribute use of a banned module;
      we report the import once.

    COORD003-COORD005 have no ruff counterpart (date switch, facades, strings).
    """
    tree = tmp_path / "examples"
    shutil.copytree(EXAMPLES, tree, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    config = '[tool.ruff.lint]\nselect = ["TID251"]\nexternal = ["COORD"]\n'
    (tree / "pyproject.toml").write_text(config, encoding="utf-8")
    made = cli(tree, "ruff", "--output", "pyproject.toml", "--per-file-ignores")
    assert made.returncode == 0, made.stderr
    ours = json.loads(cli(tree, "check", ".", "--today", TODAY, "--format", "json",
                          "--disable", "COORD004,COORD005").stdout)
    theirs = ruff_json(tree)
    assert ours and theirs
    assert {d["code"] for d in theirs} == {"TID251"}

    def where(path: str) -> str:
        return Path(path).resolve().relative_to(tree.resolve()).as_posix()

    ours_at = {(where(tree / f["path"]), f["line"], f["column"]): f["code"] for f in ours}
    theirs_at = {(where(d["filename"]), d["location"]["row"], d["location"]["column"]): d["message"]
                 for d in theirs}
    assert set(ours_at.values()) <= {"COORD001", "COORD002"}
    for place, code in ours_at.items():
        assert place in theirs_at, f"ruff misses {place} {code}"
        assert f"is banned: {code} " in theirs_at[place]
    sources = {}
    for (path, line, column), message in sorted(theirs_at.items()):
        if (path, line, column) in ours_at:
            continue
        text = sources.setdefault(path, (tree / path).read_text(encoding="utf-8").splitlines())[line - 1]
        banned = message.split("`")[1]
        at = text[column - 1:]
        if at.startswith("from "):  # the module of a statement that imports only moved names
            assert message.split("is banned: ")[1].startswith("COORD001")
            names = [(p, l, c) for (p, l, c), code in ours_at.items() if p == path and code == "COORD002"]
            assert any(l >= line for _, l, _ in names), (path, line)
            assert (path, line, 1) not in ours_at
        else:  # attribute use of an imported banned module
            assert at.startswith(banned + "."), (path, line, text)
    # the counts on examples/ today, to notice when either side changes
    assert (len(ours_at), len(theirs_at)) == (9, 13)
