"""The hooks of .pre-commit-hooks.yaml, installed and run by the real ``pre-commit try-repo``.

One ``try-repo`` run (one environment install, from this repository's HEAD) runs every hook
against a temporary git repository holding a copy of examples/ with its contracts file,
ruff table and ratchet baseline generated and committed. A hook whose command does not exist
at HEAD is skipped through pre-commit's own ``SKIP`` variable, and only that hook's
assertions are skipped.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
PRE_COMMIT = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
HOOKS = {  # hook id -> the subcommand it needs
    "coordination-check": "check",
    "coordination-fix": "fix",
    "coordination-contracts": "contracts",
    "coordination-ratchet": "ratchet",
    "coordination-ruff": "ruff",
}
GIT = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"]


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run([*GIT, *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def head_commands(sha: str) -> set:
    """Subcommands that the package at *sha* has (its cli COMMANDS table)."""
    source = git(REPO, "show", f"{sha}:flake8_coordination/cli/__init__.py")
    table = source.split("COMMANDS = {", 1)[1].split("}", 1)[0]
    return set(re.findall(r'"([a-z-]+)"\s*:', table))


def head_source(sha: str, folder: Path) -> Path:
    """The package as committed at *sha*, unpacked into *folder* (what the hooks install)."""
    archive = subprocess.run(["git", "archive", sha, "flake8_coordination"], cwd=REPO, capture_output=True, timeout=60)
    assert archive.returncode == 0, archive.stderr
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True, timeout=60)
    return folder


def cli(source: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the package at *source* (HEAD's, so the files match what the hooks check)."""
    env = dict(os.environ, PYTHONPATH=str(source))
    return subprocess.run([sys.executable, "-m", "flake8_coordination", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def hook_run(tmp_path_factory):
    if PRE_COMMIT is None:
        pytest.skip("pre-commit is not installed")
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    sha = git(REPO, "rev-parse", "HEAD")
    if subprocess.run(["git", "cat-file", "-e", f"{sha}:.pre-commit-hooks.yaml"], cwd=REPO).returncode:
        pytest.skip(".pre-commit-hooks.yaml is not committed yet")
    available = head_commands(sha)
    missing = {hook for hook, command in HOOKS.items() if command not in available}

    source = head_source(sha, tmp_path_factory.mktemp("head"))
    target = tmp_path_factory.mktemp("target")
    shutil.copytree(EXAMPLES, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (target / "pyproject.toml").write_text('[project]\nname = "target"\n', encoding="utf-8")
    if "coordination-ruff" not in missing:
        assert cli(source, target, "ruff", "--output", "pyproject.toml").returncode == 0
    if "coordination-contracts" not in missing:
        made = cli(source, target, "contracts")
        assert made.returncode == 0, made.stderr
    if "coordination-ratchet" not in missing:
        # the fix hook runs before the ratchet: grandfather what is left once it has run
        scratch = tmp_path_factory.mktemp("scratch")
        shutil.copytree(target, scratch, dirs_exist_ok=True)
        if "coordination-fix" not in missing:
            assert cli(source, scratch, "fix", ".").returncode in (0, 1)
        recorded = cli(source, scratch, "ratchet", ".", "--update")
        assert recorded.returncode == 0, recorded.stderr
        shutil.copy(scratch / ".coordination-baseline.json", target / ".coordination-baseline.json")
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "target")

    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path_factory.mktemp("pre-commit-home")),
               SKIP=",".join(sorted(missing)), PRE_COMMIT_COLOR="never")
    env.pop("PRE_COMMIT", None)
    result = subprocess.run(
        [PRE_COMMIT, "try-repo", str(REPO), "--ref", sha, "--all-files", "--verbose"],
        cwd=target, env=env, capture_output=True, text=True, timeout=300,
    )
    return result, target, missing


def section(output: str, name: str) -> str:
    """The lines pre-commit printed for the hook named *name*, status line first."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(name + "."))
    end = next((i for i in range(start + 1, len(lines))
                if re.match(r"^\S.*\.{3,}(Passed|Failed|Skipped|\(no files to check\)Skipped)$", lines[i])), len(lines))
    return "\n".join(lines[start:end])


def require(hook_run, hook):
    if hook in hook_run[2]:
        pytest.skip(f"{HOOKS[hook]!r} is not a command at HEAD yet")


def test_try_repo_ran(hook_run):
    result, _, missing = hook_run
    assert "Installing environment for" in result.stdout, result.stdout + result.stderr
    for hook in missing:
        assert re.search(r"^\S.*\.+Skipped$", result.stdout, re.M)
    assert result.returncode == 1  # the check and the fixer fail on examples/


def test_check_hook_reports_findings(hook_run):
    require(hook_run, "coordination-check")
    out = section(hook_run[0].stdout, "flake8-coordination check")
    assert out.splitlines()[0].endswith("Failed")
    assert "- hook id: coordination-check" in out and "- exit code: 1" in out
    assert re.search(r"^app/training/legacy_loop\.py:6:8: COORD00[13] app\.coordination\.event_emitters is deprecated; "
                     r"use 'import app\.coordination\.event_router'", out, re.M)
    assert re.search(r"^scripts/sync_now\.py:2:47: COORD00[23] ", out, re.M)


def test_fix_hook_rewrites_imports(hook_run):
    require(hook_run, "coordination-fix")
    out = section(hook_run[0].stdout, "flake8-coordination fix")
    assert out.splitlines()[0].endswith("Failed")
    assert "- files were modified by this hook" in out
    fixed = (hook_run[1] / "app" / "training" / "legacy_loop.py").read_text(encoding="utf-8")
    assert "import app.coordination.event_router\n" in fixed
    assert "import app.coordination.event_emitters\n" not in fixed


def test_contracts_hook_passes_when_fresh(hook_run):
    require(hook_run, "coordination-contracts")
    out = section(hook_run[0].stdout, "flake8-coordination contracts --check")
    assert out.splitlines()[0].endswith("Passed"), out


def test_ratchet_hook_passes_with_the_baseline(hook_run):
    require(hook_run, "coordination-ratchet")
    out = section(hook_run[0].stdout, "flake8-coordination ratchet")
    assert out.splitlines()[0].endswith("Passed"), out
    assert "grandfathered finding(s), no new ones" in out


def test_ruff_hook_passes_when_fresh(hook_run):
    require(hook_run, "coordination-ruff")
    out = section(hook_run[0].stdout, "flake8-coordination ruff --check")
    assert out.splitlines()[0].endswith("Passed"), out


def test_manifest_hooks_match_the_agreed_commands():
    text = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    ids = re.findall(r"^- id: (\S+)$", text, re.M)
    entries = re.findall(r"^  entry: (.+)$", text, re.M)
    assert ids == list(HOOKS)
    assert entries == [
        "flake8-coordination check",
        "flake8-coordination fix",
        "flake8-coordination contracts --check",
        "flake8-coordination ratchet",
        "flake8-coordination ruff --check pyproject.toml",
    ]
