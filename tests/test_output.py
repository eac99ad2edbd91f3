"""Machine-readable output: text, JSON, SARIF 2.1.0 (validated against the official schema)
and GitHub workflow annotations, through ``write_findings`` and the real ``check`` command."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from flake8_coordination.checker import Finding
from flake8_coordination.output import FORMATS, github_annotation, sarif_log, write_findings

DATA = Path(__file__).parent / "data"
TODAY = "2026-01-15"
SOURCE = (
    "import app.coordination.event_emitters\n"
    "from app.coordination.cross_process_events import publish_event\n"
)
MSG_1 = ("app.coordination.event_emitters is deprecated; use 'import app.coordination.event_router' "
         "(removal due 2026-06-30) [fixable]")
MSG_2 = ("app.coordination.cross_process_events.publish_event is deprecated; use "
         "'from app.coordination.event_router import publish' (removal due 2026-06-30) [fixable]")


@pytest.fixture(scope="module")
def sarif_validator():
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def run_check(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flake8_coordination", "check", *args, "--today", TODAY],
        cwd=cwd, capture_output=True, text=True, timeout=60,
    )


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "legacy.py").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "clean.py").write_text("import os\n", encoding="utf-8")
    return tmp_path


def items():
    return [
        ("pkg/legacy.py", Finding("COORD001", 1, 7, MSG_1, "app.coordination.event_emitters", True)),
        ("pkg/legacy.py", Finding("COORD003", 2, 0, "x is deprecated (removal was due 2025-01-01)", "x")),
    ]


def render(fmt: str, found=None) -> str:
    stream = io.StringIO()
    write_findings(items() if found is None else found, fmt, stream)
    return stream.getvalue()


def test_formats_are_the_agreed_four():
    assert FORMATS == ("text", "json", "sarif", "github")


def test_text_format():
    assert render("text") == (
        f"pkg/legacy.py:1:8: COORD001 {MSG_1}\n"
        "pkg/legacy.py:2:1: COORD003 x is deprecated (removal was due 2025-01-01)\n"
    )


def test_json_format():
    assert json.loads(render("json"))[0] == {
        "path": "pkg/legacy.py", "line": 1, "column": 8, "code": "COORD001",
        "message": MSG_1, "module": "app.coordination.event_emitters", "fixable": True,
    }


def test_github_format():
    assert render("github").splitlines() == [
        f"::warning file=pkg/legacy.py,line=1,col=8,title=COORD001::{MSG_1}",
        "::error file=pkg/legacy.py,line=2,col=1,title=COORD003::x is deprecated (removal was due 2025-01-01)",
    ]


def test_github_escapes_properties_and_data():
    finding = Finding("COORD001", 3, 4, "100% done\nnext", "m")
    assert github_annotation("a,b:c%.py", finding) == (
        "::warning file=a%2Cb%3Ac%25.py,line=3,col=5,title=COORD001::100%25 done%0Anext"
    )


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        render("xml")


def test_sarif_validates_against_the_official_schema(sarif_validator):
    log = json.loads(render("sarif"))
    sarif_validator.validate(log)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["COORD001", "COORD002", "COORD003", "COORD004", "COORD005"]
    assert all(rule["helpUri"].endswith(f"docs/{rule['id']}.md") for rule in rules)
    assert rules[2]["defaultConfiguration"] == {"level": "error"}
    first, second = run["results"]
    assert first["ruleId"] == "COORD001" and first["ruleIndex"] == 0 and first["level"] == "warning"
    assert first["message"]["text"] == f"COORD001 {MSG_1}"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "pkg/legacy.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 1, "startColumn": 8},
    }
    assert first["properties"] == {"module": "app.coordination.event_emitters", "fixable": True}
    assert second["ruleIndex"] == 2 and second["level"] == "error"


def test_sarif_paths_become_uris(sarif_validator, tmp_path):
    absolute = tmp_path / "with space" / "m.py"
    found = [
        (str(absolute), Finding("COORD001", 1, 0, "m", "m")),
        ("dir with space/m.py", Finding("COORD001", 1, 0, "m", "m")),
    ]
    log = sarif_log(found)
    sarif_validator.validate(log)
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in log["runs"][0]["results"]]
    assert locations == [
        {"uri": absolute.as_uri()},
        {"uri": "dir%20with%20space/m.py", "uriBaseId": "%SRCROOT%"},
    ]


def test_sarif_takes_other_commands_codes(sarif_validator):
    class Broken:
        code, line, col, message = "CONTRACT", 4, 0, "app.x imports app.y"

    log = sarif_log([("app/x.py", Broken())], rules={"CONTRACT": "broken import-linter contract"})
    sarif_validator.validate(log)
    rules = {rule["id"]: rule for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["CONTRACT"]["shortDescription"] == {"text": "broken import-linter contract"}
    assert log["runs"][0]["results"][0]["ruleIndex"] == list(rules).index("CONTRACT")
    assert "properties" not in log["runs"][0]["results"][0]


def test_empty_sarif_is_valid(sarif_validator):
    log = json.loads(render("sarif", []))
    sarif_validator.validate(log)
    assert log["runs"][0]["results"] == []
    assert render("github", []) == ""


# -- the real command --------------------------------------------------------------
def test_check_text_output_is_unchanged(project):
    result = run_check(project, "legacy.py", "clean.py")
    assert result.returncode == 1, result.stderr
    assert result.stdout == f"legacy.py:1:8: COORD001 {MSG_1}\nlegacy.py:2:51: COORD002 {MSG_2}\n"


def test_check_json_output_is_unchanged(project):
    result = run_check(project, "legacy.py", "--format", "json")
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout) == [
        {"path": "legacy.py", "line": 1, "column": 8, "code": "COORD001", "message": MSG_1,
         "module": "app.coordination.event_emitters", "fixable": True},
        {"path": "legacy.py", "line": 2, "column": 51, "code": "COORD002", "message": MSG_2,
         "module": "app.coordination.cross_process_events", "fixable": True},
    ]


def test_check_sarif(project, sarif_validator):
    result = run_check(project, "legacy.py", "clean.py", "--format", "sarif")
    assert result.returncode == 1, result.stderr
    log = json.loads(result.stdout)
    sarif_validator.validate(log)
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.resolve().as_uri() + "/"
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]) for r in run["results"]] == [
        ("COORD001", {"startLine": 1, "startColumn": 8}),
        ("COORD002", {"startLine": 2, "startColumn": 51}),
    ]


def test_check_github(project):
    result = run_check(project, "legacy.py", "--format", "github")
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        f"::warning file=legacy.py,line=1,col=8,title=COORD001::{MSG_1}",
        f"::warning file=legacy.py,line=2,col=51,title=COORD002::{MSG_2}",
    ]


def test_check_clean_sarif_exits_zero(project, sarif_validator):
    result = run_check(project, "clean.py", "--format", "sarif")
    assert result.returncode == 0, result.stderr
    sarif_validator.validate(json.loads(result.stdout))


def test_vendored_schema_is_the_official_one():
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"


# -- the ratchet's new findings in the same formats -----------------------------------
def run_ratchet(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flake8_coordination", "ratchet", "legacy.py", "--today", TODAY, *args],
        cwd=cwd, capture_output=True, text=True, timeout=60,
    )


@pytest.fixture()
def ratcheted(project: Path) -> Path:
    legacy = project / "legacy.py"
    legacy.write_text(SOURCE.splitlines(keepends=True)[0], encoding="utf-8")
    assert run_ratchet(project, "--update").returncode == 0
    legacy.write_text(SOURCE, encoding="utf-8")  # line 2 is new
    return project


def test_ratchet_sarif_has_only_the_new_finding(ratcheted, sarif_validator):
    result = run_ratchet(ratcheted, "--format", "sarif")
    assert result.returncode == 1
    log = json.loads(result.stdout)
    sarif_validator.validate(log)
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]) for r in log["runs"][0]["results"]] == [
        ("COORD002", {"startLine": 2, "startColumn": 51}),
    ]
    assert result.stderr.startswith("1 new finding(s): fix them")


def test_ratchet_github_and_json(ratcheted):
    github = run_ratchet(ratcheted, "--format", "github")
    assert github.returncode == 1
    assert github.stdout == f"::warning file=legacy.py,line=2,col=51,title=COORD002::{MSG_2}\n"
    records = json.loads(run_ratchet(ratcheted, "--format", "json").stdout)
    assert [(r["line"], r["code"]) for r in records] == [(2, "COORD002")]


def test_ratchet_text_is_unchanged(ratcheted):
    result = run_ratchet(ratcheted)
    assert result.returncode == 1
    assert result.stdout == f"legacy.py:2:51: COORD002 {MSG_2} (new: not in .coordination-baseline.json)\n"


def test_ratchet_clean_sarif_is_empty(ratcheted, sarif_validator):
    (ratcheted / "legacy.py").write_text(SOURCE.splitlines(keepends=True)[0], encoding="utf-8")
    result = run_ratchet(ratcheted, "--format", "sarif")
    assert result.returncode == 0, result.stderr
    log = json.loads(result.stdout)
    sarif_validator.validate(log)
    assert log["runs"][0]["results"] == []
    assert result.stderr == ".coordination-baseline.json: 1 grandfathered finding(s), no new ones\n"
