"""``fix --docs`` and ``docs_scan``: deprecated imports in Markdown, reST, doctests, docstrings."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flake8_coordination.checker import Context
from flake8_coordination.config import build_settings
from flake8_coordination.docs_fixer import fix_document
from flake8_coordination.docs_scan import scan_docs, scan_text
from flake8_coordination.fixer import Change, Refusal

from test_fixer import PYPROJECT, TABLE, TODAY

SETTINGS = build_settings(TABLE, "test")
CONTEXT = Context(SETTINGS.registry, None, None, TODAY)


def fix(text: str, path: str = "README.md"):
    return fix_document(textwrap.dedent(text), path, CONTEXT)


PAIRS = {
    "markdown_python_fence": (
        "Intro\n\n```python\nfrom old.mod import Old  # keep\n```\n",
        "Intro\n\n```python\nfrom new.mod import New as Old  # keep\n```\n",
    ),
    "markdown_unlabelled_fence_that_parses": (
        "```\nimport old.mod as m\nm.f()\n```\n",
        "```\nimport new.mod as m\nm.f()\n```\n",
    ),
    "markdown_indented_fence_split": (
        "- step:\n\n  ```py\n  from old.mod import f, Far\n  f()\n  ```\n",
        "- step:\n\n  ```py\n  from new.mod import f\n  from far.away import Far\n  f()\n  ```\n",
    ),
    "markdown_pycon_session": (
        "```pycon\n>>> from old.mod import f, Far\n>>> f()\n1\n```\n",
        "```pycon\n>>> from new.mod import f\n>>> from far.away import Far\n>>> f()\n1\n```\n",
    ),
    "doctest_multiline_statement": (
        "```python\n>>> from old.mod import (\n...     f,\n...     Far,\n... )\n```\n",
        "```python\n>>> from new.mod import (\n...     f,\n... )\n>>> from far.away import (\n...     Far,\n... )\n```\n",
    ),
    "markdown_string_target": (
        "~~~python\nwith mock.patch('old.mod.Old'):\n    pass\n~~~\n",
        "~~~python\nwith mock.patch('new.mod.New'):\n    pass\n~~~\n",
    ),
    "markdown_crlf": (
        "```python\r\nfrom old.mod import f, Far\r\n```\r\n",
        "```python\r\nfrom new.mod import f\r\nfrom far.away import Far\r\n```\r\n",
    ),
}

RST_PAIRS = {
    "rst_code_block": (
        "Use it:\n\n.. code-block:: python\n   :linenos:\n\n    from old.mod import f\n\nAfter.\n",
        "Use it:\n\n.. code-block:: python\n   :linenos:\n\n    from new.mod import f\n\nAfter.\n",
    ),
    "rst_literal_block": (
        "Example::\n\n    from old.mod import Old\n    Old()\n\nText.\n",
        "Example::\n\n    from new.mod import New as Old\n    Old()\n\nText.\n",
    ),
    "rst_doctest_paragraph": (
        "Try:\n\n>>> import old.mod as m\n>>> m.Old\n<class>\n",
        "Try:\n\n>>> import new.mod as m\n>>> m.New\n<class>\n",
    ),
}


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_markdown(name: str) -> None:
    before, after = PAIRS[name]
    fixed, outcomes = fix(before)
    assert fixed == after
    assert outcomes and all(isinstance(o, Change) and o.kind.startswith("doc-") for o in outcomes)
    assert fix(fixed) == (fixed, [])


@pytest.mark.parametrize("name", sorted(RST_PAIRS))
def test_rst(name: str) -> None:
    before, after = RST_PAIRS[name]
    fixed, outcomes = fix(before, "guide.rst")
    assert fixed == after
    assert fix(fixed, "guide.rst") == (fixed, [])


NOOPS = {
    "shell_fence": ("```bash\nfrom old.mod import f\n```\n", []),
    "unlabelled_prose": ("```\nold.mod is gone, use new.mod\n```\n", []),
    "outside_blocks": ("Mention `from old.mod import f` inline.\n", []),
    "old_way_comment": (
        "```python\n# Old way\nfrom old.mod import f\n\n# New way\nfrom new.mod import f\n```\n",
        [(3, "shown as the old way in a migration example; left as is")],
    ),
    "old_way_trailing_comment": (
        "```python\nfrom old.mod import (  # deprecated\n    f,\n)\n```\n",
        [(2, "shown as the old way in a migration example; left as is")],
    ),
    "before_intro": (
        "**Before**:\n\n```python\nfrom old.mod import f\n```\n",
        [(4, "shown as the old way in a migration example; left as is")],
    ),
    "keep_marker": (
        "<!-- coordination: keep -->\n```python\nfrom old.mod import f\n```\n",
        [(3, "shown as the old way in a migration example; left as is")],
    ),
    "noqa_in_block": ("```python\nfrom old.mod import f  # noqa: COORD001\n```\n", []),
    "python_block_that_does_not_parse": (
        "```python\nfrom old.mod import f\nif:\n```\n",
        [(2, "code block does not parse; left as is")],
    ),
    "manual_move_refused": (
        "```python\nfrom old.mod import Gone\n```\n",
        [(2, "old.mod.Gone is a manual move, never rewritten (call thing() instead)")],
    ),
}


@pytest.mark.parametrize("name", sorted(NOOPS))
def test_noop(name: str) -> None:
    before, refusals = NOOPS[name]
    fixed, outcomes = fix(before)
    assert fixed == before
    assert [(o.line, o.reason) for o in outcomes] == refusals
    assert all(isinstance(o, Refusal) for o in outcomes)


DOCSTRING = '''\
"""Helpers.

Usage::

    from old.mod import f

Example:
    from old.mod import Old

>>> from old.mod import Far
"""


def run():
    """Run it.

    >>> import old.mod as m
    >>> m.f()
    """
'''

DOCSTRING_FIXED = '''\
"""Helpers.

Usage::

    from new.mod import f

Example:
    from new.mod import New as Old

>>> from far.away import Far
"""


def run():
    """Run it.

    >>> import new.mod as m
    >>> m.f()
    """
'''


def test_docstrings() -> None:
    fixed, outcomes = fix_document(DOCSTRING, "pkg/helpers.py", CONTEXT)
    assert fixed == DOCSTRING_FIXED
    assert [(o.line, o.kind) for o in outcomes] == [(5, "doc-import"), (8, "doc-import"), (10, "doc-import"), (17, "doc-import")]
    assert fix_document(fixed, "pkg/helpers.py", CONTEXT) == (fixed, [])


def test_docstring_with_escapes_is_reported() -> None:
    text = 'def f():\n    """Use::\n\n        from old.mod import f  # \\n\n    """\n'
    fixed, outcomes = fix_document(text, "m.py", CONTEXT)
    assert fixed == text
    assert [(o.line, o.reason) for o in outcomes] == [(2, "docstring has escape sequences; left as is")]


def test_wrapper_docstring_is_left_alone() -> None:
    ctx = Context(SETTINGS.registry, "old.mod", "old", TODAY)
    text = '"""Deprecated.\n\nUsage::\n\n    from old.mod import f\n"""\n'
    assert fix_document(text, "old/mod.py", ctx) == (text, [])


def test_scan_lists_blocks_with_lines_and_migration_flag(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text(
        "# Title\n\n```python\nfrom old.mod import f\n```\n\n**Before**:\n\n```python\nfrom old.mod import g\n```\n"
        "\n```python\nfrom new.mod import f\n```\n"
    )
    (tmp_path / "helpers.py").write_text(DOCSTRING)
    found = scan_docs([str(tmp_path)], SETTINGS, TODAY)
    summary = [(os.path.basename(b.path), b.line, b.kind, b.migration_example, [(f.line, f.code) for f in b.findings])
               for b in found]
    assert summary == [
        ("README.md", 4, "markdown", False, [(4, "COORD001")]),
        ("README.md", 10, "markdown", True, [(10, "COORD001")]),
        ("helpers.py", 5, "docstring", False, [(5, "COORD001")]),
        ("helpers.py", 8, "docstring", False, [(8, "COORD002")]),
        ("helpers.py", 10, "docstring", False, [(10, "COORD002")]),
        ("helpers.py", 17, "docstring", False, [(17, "COORD001")]),
    ]
    assert scan_text("nothing here\n", "x.md", SETTINGS, TODAY) == []


def cli(args, cwd: Path, stdin: bytes = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flake8_coordination", *args], cwd=cwd, input=stdin, capture_output=True)


def test_cli_docs_is_opt_in(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    readme = tmp_path / "README.md"
    readme.write_text("```python\nfrom old.mod import f\n```\n")
    module = tmp_path / "tool.py"
    module.write_text('"""Usage::\n\n    from old.mod import f\n"""\nfrom old.mod import f\n')
    plain = cli(["fix", "."], tmp_path)
    assert plain.returncode == 1, plain.stderr
    assert readme.read_text() == "```python\nfrom old.mod import f\n```\n"
    assert module.read_text() == '"""Usage::\n\n    from old.mod import f\n"""\nfrom new.mod import f\n'
    docs = cli(["fix", "--docs", "."], tmp_path)
    assert docs.returncode == 1, docs.stderr
    assert readme.read_text() == "```python\nfrom new.mod import f\n```\n"
    assert module.read_text() == '"""Usage::\n\n    from new.mod import f\n"""\nfrom new.mod import f\n'
    assert cli(["fix", "--docs", "--check", "."], tmp_path).returncode == 0


def test_cli_docs_stdin(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    result = cli(["fix", "--stdin-display-name", "guide.md", "-"], tmp_path, b"```python\nfrom old.mod import Far\n```\n")
    assert (result.returncode, result.stdout) == (1, b"```python\nfrom far.away import Far\n```\n")
