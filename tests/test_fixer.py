"""The fixer: table-driven rewrites and refusals, the source-tree proof, the CLI."""
from __future__ import annotations

import ast
import datetime
import io
import os
import subprocess
import sys
import textwrap
import tokenize
from pathlib import Path
from typing import List, Optional, Tuple

import pytest

from flake8_coordination.checker import Context, check_source
from flake8_coordination.config import build_settings
from flake8_coordination.exports import SourceTree
from flake8_coordination.fixer import Change, Refusal, fix_source

CLI = [sys.executable, "-m", "flake8_coordination"]
TODAY = datetime.date(2026, 1, 1)

TABLE = {
    "use-default": False,
    "deprecated": {
        "old.mod": {
            "replacement": "new.mod",
            "names": {
                "Old": "new.mod:New",
                "Far": "far.away:Far",
                "Gone": {"replacement": "new.mod:Thing", "manual": True, "note": "call thing() instead"},
            },
        },
        "pkg.legacy": {"replacement": "pkg.modern"},
        "nowhere.mod": {"reason": "dropped"},
        "dated.mod": {"replacement": "new.dated", "removal": "2025-06-30"},
    },
}
REGISTRY = build_settings(TABLE, "test").registry


def context(module: Optional[str] = "pkg.client", package: Optional[str] = "pkg", disabled=()) -> Context:
    return Context(REGISTRY, module, package, TODAY, disabled=frozenset(disabled))


def fix(text: str, ctx: Optional[Context] = None, tree=None) -> Tuple[str, List]:
    return fix_source(textwrap.dedent(text), ctx or context(), tree)


def assert_fixed_point(after: str, ctx: Optional[Context] = None, tree=None) -> None:
    ast.parse(after)
    again, outcomes = fix_source(after, ctx or context(), tree)
    assert again == after
    assert not [o for o in outcomes if isinstance(o, Change)]


# -- (before, after) pairs ------------------------------------------------------------
PAIRS = {
    "from_module_rename": ("from old.mod import f\n", "from new.mod import f\n"),
    "from_name_rename_keeps_binding": ("from old.mod import Old\nOld()\n", "from new.mod import New as Old\nOld()\n"),
    "from_name_rename_with_alias": ("from old.mod import Old as O\n", "from new.mod import New as O\n"),
    "from_mixed_same_module": ("from old.mod import f, Old\n", "from new.mod import f, New as Old\n"),
    "split_to_two_modules": (
        "from old.mod import f, Far, g\n",
        "from new.mod import f, g\nfrom far.away import Far\n",
    ),
    "split_multiline_keeps_comments": (
        """\
        from old.mod import (  # noqa: F401
            f,  # first
            # about Far
            Far,
            g,
            # trailing
        )  # end
        """,
        """\
        from new.mod import (  # noqa: F401
            f,  # first
            g,
        )
        from far.away import (
            # about Far
            Far,
            # trailing
        )  # end
        """,
    ),
    "multiline_in_place": (
        "from old.mod import (\n    f,  # keep\n    Old,\n)\n",
        "from new.mod import (\n    f,  # keep\n    New as Old,\n)\n",
    ),
    "backslash_continuation": (
        "from old.mod import f, \\\n    Old\n",
        "from new.mod import f, \\\n    New as Old\n",
    ),
    "backslash_split": (
        "from old.mod import f, \\\n    Far\n",
        "from new.mod import f\nfrom far.away import Far\n",
    ),
    "inside_function_try_and_type_checking": (
        """\
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from old.mod import Far, f
        def run():
            try:
                from old.mod import Old
            except ImportError:  # comment
                pass
        """,
        """\
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from far.away import Far
            from new.mod import f
        def run():
            try:
                from new.mod import New as Old
            except ImportError:  # comment
                pass
        """,
    ),
    "inline_compound_statement": (
        "if True: from old.mod import f, Far\n",
        "if True: from new.mod import f; from far.away import Far\n",
    ),
    "relative_import": ("from .legacy import x\n", "from .modern import x\n"),
    "relative_submodule": ("from . import legacy\nlegacy.run()\n", "from . import modern as legacy\nlegacy.run()\n"),
    "submodule_from_package": ("from pkg import legacy, other\n", "from pkg import modern as legacy, other\n"),
    "import_same_top_package": (
        "import pkg.legacy\npkg.legacy.run(pkg.legacy.X)\n",
        "import pkg.modern\npkg.modern.run(pkg.modern.X)\n",
    ),
    "import_with_alias_and_moved_attribute": (
        "import old.mod as m\nm.f(m.Old)\n",
        "import new.mod as m\nm.f(m.New)\n",
    ),
    "import_among_others": ("import os, old.mod as m, sys\n", "import os, new.mod as m, sys\n"),
    "attribute_chain_after_import_of_package": (
        "import pkg\nimport pkg.modern.sub\npkg.legacy.run()\n",
        "import pkg\nimport pkg.modern.sub\npkg.modern.run()\n",
    ),
    "patch_string": (
        "mock.patch('old.mod.Old.attr')\nmock.patch.object\npatch(\"old.mod.f\")\n",
        "mock.patch('new.mod.New.attr')\nmock.patch.object\npatch(\"new.mod.f\")\n",
    ),
    "import_module_string": ("importlib.import_module('pkg.legacy')\n", "importlib.import_module('pkg.modern')\n"),
    "relative_import_module_string": (
        "importlib.import_module('.legacy', 'pkg')\n",
        "importlib.import_module('.modern', 'pkg')\n",
    ),
    "utf8_columns": ("x = 'é' ; from old.mod import Old  # ü\n", "x = 'é' ; from new.mod import New as Old  # ü\n"),
    "crlf_newlines_kept": ("from old.mod import (\r\n    f,\r\n    Far,\r\n)\r\n",
                           "from new.mod import (\r\n    f,\r\n)\r\nfrom far.away import (\r\n    Far,\r\n)\r\n"),
}


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_rewrites(name: str) -> None:
    before, expected = (textwrap.dedent(t) for t in PAIRS[name])
    after, outcomes = fix(before)
    assert after == expected
    assert [o for o in outcomes if isinstance(o, Change)]
    assert not [o for o in outcomes if isinstance(o, Refusal)], outcomes
    assert_fixed_point(after)


# -- noop cases: nothing to do, or refused (with the reason) ---------------------------
NOOPS = {
    "alias_shadowed_by_a_parameter": (
        "import old.mod as m\nclass Fake:\n    Old = 1\ndef use(m=Fake()):\n    return m.Old\n",
        "'m' is also bound on line 4, so its uses cannot all be proven to be the module; rewrite by hand",
    ),
    "alias_shadowed_by_an_assignment": (
        "import old.mod as m\ndef use():\n    m = object()\n    return m.Old\n",
        "'m' is also bound on line 3, so its uses cannot all be proven to be the module; rewrite by hand",
    ),
    "module_passed_around_as_a_value": (
        "from old import mod\ngetattr(mod, 'Old')\n",
        "'mod' is used as a value on line 2 (getattr, an argument...); the names old.mod moved would not "
        "follow it: rewrite by hand",
    ),
    "noqa_silences_part_of_the_statement": (
        "from old.mod import Old, f  # noqa: COORD002\n",
        "a '# noqa' silences part of this statement and splitting it would move the comment; rewrite it by hand",
    ),
    "already_new": ("from new.mod import New\n", None),
    "unrelated": ("import os\nfrom collections import OrderedDict\n", None),
    "manual_move": ("from old.mod import Gone\n", "old.mod.Gone is a manual move, never rewritten (call thing() instead)"),
    "no_replacement": ("from nowhere.mod import x\n", "nowhere.mod has no replacement in the registry"),
    "star_import": ("from old.mod import *\n", "star import: the names it needs cannot be proven; import them by name"),
    "duplicate_import": (
        "from new.mod import f\nfrom old.mod import f\n",
        "'f' is already imported from new.mod in the same block; remove this import by hand",
    ),
    "duplicate_plain_import": (
        "import new.mod as m\nimport old.mod as m\n",
        "'import new.mod' is already in the same block; remove this import by hand",
    ),
    "other_top_level_package": (
        "import old.mod\nold.mod.f()\n",
        "new.mod is in another top-level package; uses of 'old.mod' need 'import new.mod as ...' by hand",
    ),
    "alias_use_moved_elsewhere": (
        "import old.mod as m\nm.Far\n",
        "'old.mod.Far' moved to far.away; import it from there by hand (line 2)",
    ),
    "chain_not_imported": (
        "import pkg\npkg.legacy.run()\n",
        "pkg.modern is not imported in this file; add 'import pkg.modern' and rewrite by hand",
    ),
    "chain_split_over_lines": (
        "import pkg\nimport pkg.modern\n(pkg\n .legacy).run()\n",
        "'pkg.legacy' on line 3 is split over lines or spaced; rewrite it by hand",
    ),
    "string_not_plain": ("patch('old.mod' '.f')\n", "the string is not a plain literal; rewrite it by hand"),
    "string_manual": ("patch('old.mod.Gone')\n", "old.mod.Gone is a manual move, never rewritten (call thing() instead)"),
}


@pytest.mark.parametrize("name", sorted(NOOPS))
def test_noop(name: str) -> None:
    before, reason = NOOPS[name]
    after, outcomes = fix(before)
    assert after == before
    assert not [o for o in outcomes if isinstance(o, Change)]
    assert [o.reason for o in outcomes] == ([reason] if reason else [])


def test_refusal_is_located_and_coded() -> None:
    _, outcomes = fix("import os\nfrom old.mod import f, Gone\n")
    refusal = [o for o in outcomes if isinstance(o, Refusal)]
    assert [(r.line, r.col, r.code, r.kind) for r in refusal] == [(2, 23, "COORD002", "import")]


def test_partial_fix_keeps_refused_name_in_old_import() -> None:
    after, outcomes = fix("from old.mod import Gone, f\n")
    assert after == "from old.mod import Gone\nfrom new.mod import f\n"
    assert_fixed_point(after)


def test_changes_report_code_and_snippets() -> None:
    _, outcomes = fix("from old.mod import Old\nfrom dated.mod import y\n")
    assert [(o.line, o.col, o.code, o.before, o.after) for o in outcomes] == [
        (1, 20, "COORD002", "from old.mod import Old", "from new.mod import New as Old"),
        (2, 22, "COORD003", "from dated.mod import y", "from new.dated import y"),
    ]


def test_only_and_skip_codes() -> None:
    text = "from old.mod import Old, f\n"
    after, _ = fix(text, context(disabled={"COORD002"}))
    assert after == "from old.mod import Old\nfrom new.mod import f\n"
    after, _ = fix(text, context(disabled={"COORD001"}))
    assert after == "from new.mod import New as Old\nfrom old.mod import f\n"
    after, outcomes = fix("from old.mod import Gone\n", context(disabled={"COORD002"}))
    assert outcomes == []


def test_syntax_error_is_reported_not_fixed() -> None:
    text = "from old.mod import f\ndef (:\n"
    after, outcomes = fix(text)
    assert after == text
    assert [(o.line, o.kind) for o in outcomes] == [(2, "syntax")]
    assert outcomes[0].reason.startswith("syntax error: ")


def test_wrapper_module_itself_is_left_alone() -> None:
    text = "from old.mod import Old\n"
    assert fix(text, context(module="old.mod", package="old")) == (text, [])


def test_relative_import_outside_package_written_absolute() -> None:
    ctx = Context(build_settings({"use-default": False, "deprecated": {"app.a.old": {"replacement": "lib.new"}}}, "t").registry,
                  "app.a.client", "app.a", TODAY)
    after, _ = fix_source("from .old import x\n", ctx)
    assert after == "from lib.new import x\n"


def test_every_fixable_finding_is_fixed_without_a_source_tree() -> None:
    """The checker's ``[fixable]`` claim holds for registry-level reasons."""
    text = textwrap.dedent("""\
        from old.mod import Old, f, Gone
        from pkg import legacy
        import pkg.legacy
        from dated.mod import y
        patch('old.mod.Old')
        """)
    findings = check_source(text, context())
    fixable = {(f.line, f.col) for f in findings if f.fixable}
    _, outcomes = fix(text)
    refused = {(o.line, o.col) for o in outcomes if isinstance(o, Refusal)}
    assert fixable and not fixable & refused
    assert {(f.line, f.col) for f in findings if not f.fixable} <= refused


# -- the source-tree proof ------------------------------------------------------------
def write(root: Path, files: dict) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture()
def tree(tmp_path: Path) -> SourceTree:
    write(tmp_path, {
        "new/__init__.py": "",
        "new/mod.py": """\
            from new._impl import *
            from new.other import helper as f
            try:
                from fast import g
            except ImportError:
                def g(): pass
            class New: pass
            __all__ = ["New", "f", "g", "lazy_name"]
            """,
        "new/_impl.py": "__all__ = ['exported']\nexported = 1\nhidden = 2\n",
        "new/other.py": "def helper(): pass\n",
        "pkg/__init__.py": "from pkg import modern\n",
        "pkg/modern/__init__.py": "def run(): pass\n",
        "far/__init__.py": "",
    })
    return SourceTree([tmp_path])


@pytest.mark.parametrize("before, after", [
    ("from old.mod import f, g, Old\n", "from new.mod import f, g, New as Old\n"),
    ("from old.mod import exported\n", "from new.mod import exported\n"),
    ("from old.mod import lazy_name\n", "from new.mod import lazy_name\n"),
    ("import pkg\npkg.legacy.run()\n", "import pkg\npkg.modern.run()\n"),
    ("from pkg import legacy\n", "from pkg import modern as legacy\n"),
    ("patch('old.mod.New')\n", "patch('new.mod.New')\n"),
])
def test_tree_proves_the_name(tree: SourceTree, before: str, after: str) -> None:
    fixed, outcomes = fix(before, tree=tree)
    assert fixed == after, outcomes
    assert_fixed_point(fixed, tree=tree)


@pytest.mark.parametrize("before, reason", [
    ("from old.mod import hidden\n", "new.mod does not define or re-export hidden"),
    ("from old.mod import missing\n", "new.mod does not define or re-export missing"),
    ("from old.mod import Far\n", "far.away is not in the source tree"),
    ("import old.mod as m\nm.missing\n", "new.mod does not define or re-export missing"),
    ("patch('old.mod.missing')\n", "new.mod does not define or re-export missing"),
    ("from pkg import legacy\nlegacy.nope\n", "pkg.modern does not define or re-export nope"),
])
def test_tree_refuses_what_it_cannot_prove(tree: SourceTree, before: str, reason: str) -> None:
    fixed, outcomes = fix(before, tree=tree)
    assert fixed == before
    assert [o.reason for o in outcomes] == [reason]


def test_tree_partial_fix(tree: SourceTree) -> None:
    fixed, outcomes = fix("from old.mod import f, missing\n", tree=tree)
    assert fixed == "from new.mod import f\nfrom old.mod import missing\n"
    assert [type(o).__name__ for o in outcomes] == ["Change", "Refusal"]


def test_lazy_getattr_is_not_proof(tmp_path: Path) -> None:
    write(tmp_path, {"new/__init__.py": "", "new/mod.py": "def __getattr__(name): ...\n"})
    fixed, outcomes = fix("from old.mod import thing\n", tree=SourceTree([tmp_path]))
    assert [o.reason for o in outcomes] == ["new.mod does not define thing statically (it has a module __getattr__)"]


# -- the command --------------------------------------------------------------------
PYPROJECT = """\
[tool.flake8-coordination]
use-default = false

[tool.flake8-coordination.deprecated."old.mod"]
replacement = "new.mod"
names = { Old = "new.mod:New", Far = "far.away:Far" }
"""


def cli(args: List[str], cwd: Path, stdin: Optional[bytes] = None) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], cwd=cwd, input=stdin, capture_output=True,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    write(tmp_path, {"pyproject.toml": PYPROJECT, "app/__init__.py": "", "app/client.py": "from old.mod import Old, f\n"})
    return tmp_path


def test_cli_fixes_in_place(project: Path) -> None:
    result = cli(["fix", "app"], project)
    assert result.returncode == 1, result.stderr
    assert (project / "app/client.py").read_text() == "from new.mod import New as Old, f\n"
    assert result.stderr.decode().splitlines() == [f"fixed {os.path.join('app', 'client.py')} (2 rewrites)"]
    again = cli(["fix", "app"], project)
    assert (again.returncode, again.stderr) == (0, b"")


def test_cli_stdin_to_stdout(project: Path) -> None:
    result = cli(["fix", "-"], project, b"from old.mod import Far  # x\n")
    assert (result.returncode, result.stdout) == (1, b"from far.away import Far  # x\n")


def test_cli_stdin_proves_names_against_the_working_folder(project: Path) -> None:
    write(project, {"new/__init__.py": "", "new/mod.py": "def New():\n    pass\n"})
    result = cli(["fix", "-"], project, b"from old.mod import Old, f\n")
    assert result.stdout == b"from new.mod import New as Old\nfrom old.mod import f\n"
    assert result.stderr.decode() == "stdin:1:26: COORD001 not fixed: new.mod does not define or re-export f\n"


def test_cli_docs_file_named_on_the_command_line_is_fixed_once(project: Path) -> None:
    write(project, {"guide.md": "```python\nfrom old.mod import Old\n```\n"})
    result = cli(["fix", "--docs", "guide.md"], project)
    assert result.returncode == 1
    assert result.stderr.decode() == "fixed guide.md (1 rewrite)\n"
    assert (project / "guide.md").read_text() == "```python\nfrom new.mod import New as Old\n```\n"


def test_cli_check_and_diff_write_nothing(project: Path) -> None:
    target = project / "app/client.py"
    check = cli(["fix", "--check", "app"], project)
    assert check.returncode == 1
    assert check.stderr.decode() == f"would fix {os.path.join('app', 'client.py')} (2 rewrites)\n"
    diff = cli(["fix", "--diff", "app/client.py"], project)
    assert diff.returncode == 1
    assert diff.stdout.decode().splitlines()[2:] == [
        "@@ -1 +1 @@", "-from old.mod import Old, f", "+from new.mod import New as Old, f",
    ]
    assert target.read_text() == "from old.mod import Old, f\n"
    target.write_text("from new.mod import f\n")
    assert cli(["fix", "--check", "app"], project).returncode == 0


def test_cli_only_skip(project: Path) -> None:
    result = cli(["fix", "--only", "COORD001", "app"], project)
    assert result.returncode == 1
    assert (project / "app/client.py").read_text() == "from old.mod import Old\nfrom new.mod import f\n"
    bad = cli(["fix", "--skip", "E501", "app"], project)
    assert bad.returncode == 2
    assert bad.stderr.decode() == (
        "flake8-coordination: error: --only/--skip: 'E501' is not a COORD code "
        "(COORD001, COORD002, COORD003, COORD004, COORD005)\n"
    )


def test_cli_reports_refusals_on_stderr(project: Path) -> None:
    (project / "app/client.py").write_text("from old.mod import *\n")
    result = cli(["fix", "app"], project)
    assert result.returncode == 0
    assert result.stderr.decode() == (
        f"{os.path.join('app', 'client.py')}:1:21: COORD001 not fixed: "
        "star import: the names it needs cannot be proven; import them by name\n"
    )


@pytest.mark.parametrize("raw, expected", [
    (b"# -*- coding: latin-1 -*-\nfrom old.mod import f  # caf\xe9\n",
     b"# -*- coding: latin-1 -*-\nfrom new.mod import f  # caf\xe9\n"),
    (b"\xef\xbb\xbffrom old.mod import f  # \xc3\xa9\n", b"\xef\xbb\xbffrom new.mod import f  # \xc3\xa9\n"),
    (b"import os\r\nfrom old.mod import (\r\n    f,\r\n    Far,\r\n)\r\n",
     b"import os\r\nfrom new.mod import (\r\n    f,\r\n)\r\nfrom far.away import (\r\n    Far,\r\n)\r\n"),
], ids=["latin-1-cookie", "bom", "crlf"])
def test_cli_keeps_encoding_bom_and_newlines(project: Path, raw: bytes, expected: bytes) -> None:
    target = project / "app/client.py"
    target.write_bytes(raw)
    assert cli(["fix", "app"], project).returncode == 1
    assert target.read_bytes() == expected
    assert cli(["fix", "app"], project).returncode == 0


def test_cli_skips_syntax_error_with_location(project: Path) -> None:
    broken = project / "app/broken.py"
    broken.write_text("from old.mod import f\nif:\n")
    result = cli(["fix", "app"], project)
    assert result.returncode == 2
    stderr = result.stderr.decode().splitlines()
    assert stderr[0] == f"flake8-coordination: error: {os.path.join('app', 'broken.py')}:2:3: syntax error: invalid syntax; file skipped"
    assert broken.read_text() == "from old.mod import f\nif:\n"
    assert (project / "app/client.py").read_text() == "from new.mod import New as Old, f\n"


def test_write_is_atomic(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from flake8_coordination.cli import fix as fix_cli
    from flake8_coordination.files import InputError, read_source

    target = project / "app/client.py"
    source = read_source(str(target))

    def fail(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(fix_cli.os, "replace", fail)
    with pytest.raises(InputError, match="client.py: cannot be written .disk full."):
        fix_cli.write_atomically(str(target), source, "from new.mod import f\n")
    assert target.read_text() == "from old.mod import Old, f\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["__init__.py", "client.py"]


# -- every combination of layout, names and container parses and is a fixed point -------
def _statement(names: Tuple[str, ...], layout: str, indent: str) -> str:
    if layout == "single":
        return f"from old.mod import {', '.join(names)}  # tail"
    if layout == "backslash":
        return f"from old.mod import {names[0]}" + "".join(f", \\\n{indent}    {n}" for n in names[1:])
    body = "".join(f"\n{indent}    {n},  # c{i}" for i, n in enumerate(names))
    return f"from old.mod import (  # open{body}\n{indent})  # close"


def _comments(text: str) -> List[str]:
    return sorted(t.string for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type == tokenize.COMMENT)


NAME_SETS = [("f",), ("Old", "f"), ("f", "Far", "Old as O"), ("Gone", "Far"), ("Far", "Gone", "g", "Old")]
CONTAINERS = {
    "module": ("", "", ""),
    "function": ("def run():\n    ", "    ", "\n    return 1"),
    "try": ("try:\n    ", "    ", "\nexcept ImportError:\n    pass"),
    "type_checking": ("if TYPE_CHECKING:\n    ", "    ", "\nelse:\n    pass"),
    "inline": ("if x: ", "", ""),
}


@pytest.mark.parametrize("layout", ["single", "backslash", "paren"])
@pytest.mark.parametrize("container", sorted(CONTAINERS))
@pytest.mark.parametrize("names", NAME_SETS, ids="-".join)
def test_combinations_parse_keep_comments_and_settle(layout: str, container: str, names: Tuple[str, ...]) -> None:
    head, indent, tail = CONTAINERS[container]
    if container == "inline" and layout == "backslash":
        indent = ""
    before = head + _statement(names, layout, indent) + tail + "\n"
    ast.parse(before)
    after, outcomes = fix_source(before, context())
    ast.parse(after)
    assert _comments(after) == _comments(before)
    assert_fixed_point(after)
    refused = {o.line for o in outcomes if isinstance(o, Refusal)}
    assert ("Gone" in names) == bool(refused)
    assert ("old.mod" in after) == ("Gone" in names)


@pytest.mark.parametrize("comment, fixed", [
    ("# noqa", False),
    ("# noqa: COORD001", False),
    ("# noqa: COORD", False),
    ("# noqa:E501,COORD001", False),
    ("# noqa: COORD002", True),
    ("# noqa: E501", True),
])
def test_noqa_keeps_the_import(comment: str, fixed: bool) -> None:
    code = comment.replace("COORD001", "COORD005")
    before = f"from old.mod import (\n    f,  {comment}\n)\npatch('old.mod.f')  {code}\n"
    after, outcomes = fix(before)
    assert (after != before) == fixed
    assert not [o for o in outcomes if isinstance(o, Refusal)]


def test_module_names_static_bindings() -> None:
    from flake8_coordination.exports import module_names

    tree = ast.parse(textwrap.dedent("""\
        import os.path, json as j
        from . import sibling
        from .impl import *
        from outside import *
        a, (b, *c) = 1, (2, 3)
        d: int = 1
        e: int
        for f in []: pass
        with open(x) as (g, h): pass
        if True:
            class K: pass
        try:
            def fn(): inner = 1
        except ImportError:
            fn = None
        __all__ = ["a", "listed"]
        __all__ += ["more"]
        """))
    found = module_names(tree, "pkg")
    assert found.names == {"os", "j", "sibling", "a", "b", "c", "d", "f", "g", "h", "K", "fn", "__all__"}
    assert found.all == ("a", "listed", "more")
    assert found.stars == ("pkg.impl", "outside")
    assert not found.lazy


def test_star_from_outside_the_tree_is_not_proof(tmp_path: Path) -> None:
    write(tmp_path, {"new/__init__.py": "", "new/mod.py": "from somewhere_else import *\n"})
    fixed, outcomes = fix("from old.mod import thing\n", tree=SourceTree([tmp_path]))
    assert [o.reason for o in outcomes] == ["new.mod does not define or re-export thing"]


def test_missing_destination_module_is_refused(tmp_path: Path) -> None:
    write(tmp_path, {"new/__init__.py": ""})
    fixed, outcomes = fix("import old.mod as m\n", tree=SourceTree([tmp_path]))
    assert [o.reason for o in outcomes] == ["new.mod is not in the source tree"]


def test_cli_writes_through_symlinks(project: Path) -> None:
    real = project / "app/client.py"
    link = project / "link.py"
    link.symlink_to(real)
    assert cli(["fix", "link.py"], project).returncode == 1
    assert link.is_symlink()
    assert real.read_text() == "from new.mod import New as Old, f\n"
