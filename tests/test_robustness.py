"""The checker never crashes on generated valid programs, and its prefilter loses nothing.

Programs come from hypothesmith (the Python grammar), with references to the registry's
modules put in front so that the interesting paths run. Bounded for CI; the longer run
is ``benchmarks/fuzz.py``.
"""
from __future__ import annotations

import ast
import datetime
import importlib.util
import io
import tokenize

import hypothesmith
import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from flake8_coordination import codes
from flake8_coordination.checker import Context, check_source, check_tree
from flake8_coordination.config import build_settings
from flake8_coordination.plugin import CoordinationChecker

#: short names, so that generated identifiers hit the registry now and then
TABLE = {
    "use-default": False,
    "deprecated": {
        "a": {"replacement": "z", "names": {"Old": "z:New", "M": {"replacement": "z:N", "manual": True}}},
        "b.c": {"replacement": "y.c", "removal": "2000-01-01"},
        "A": {},
        "p.q.r": {"replacement": "s", "allow": ["p.*"]},
    },
    "facades": {"f": {"fronts": ["b.d", "e"], "members": ["g"]}},
}
SETTINGS = build_settings(TABLE, "robustness")
TODAY = datetime.date(2026, 1, 1)
ALL_CODES = {codes.COORD001, codes.COORD002, codes.COORD003, codes.COORD004, codes.COORD005}

SNIPPETS = (
    "import a\n", "import a as x\n", "from a import Old, M, other\n", "from a import *\n",
    "import b.c\n", "from b import c\n", "from b.c import thing\n", "import b.d\n", "from e import h\n",
    "import A\n", "from . import a\n", "from .. import e\n", "from .b import c\n",
    "import p.q.r\n", "a.Old\n", "b.c.x = 1\n",
    "importlib.import_module('a')\n", "mock.patch('a.Old.x')\n", "__import__('b.c')\n",
    "if TYPE_CHECKING:\n    import a\n", "def f():\n    from a import Old\n",
    "x = (a\n     .Old)\n", "s = 'b.c'\n",
    # imports nested in statements that mention nothing, used on a later line
    "def g():\n    import b as q\nq.c.y\n", "class K:\n    import p.q as w\nw.r\n",
    "try:\n    import b as q\nexcept ImportError:\n    pass\nq.c\n",
    "@mock.patch('a.Old')\ndef t():\n    pass\n", "@d\n@mock.patch('b.c.f')\nclass T:\n    pass\n",
)

programs = st.builds(
    lambda prefix, body: "".join(prefix) + body,
    st.lists(st.sampled_from(SNIPPETS), max_size=6),
    hypothesmith.from_grammar(),
)
contexts = st.builds(
    lambda module, skip: Context(
        SETTINGS.registry, module, module.rpartition(".")[0] if module else None, TODAY, skip_type_checking=skip,
    ),
    st.sampled_from([None, "pkg.mod", "g.inner", "p.q.other", "e", "a"]),
    st.booleans(),
)
BOUNDED = settings(max_examples=40, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


@BOUNDED
@given(programs, contexts)
def test_checker_never_crashes_and_prefilter_loses_nothing(text: str, context: Context) -> None:
    assume(_parses(text))
    found = check_source(text, context, "generated.py")
    lines = text.count("\n") + 1
    for finding in found:
        assert finding.code in ALL_CODES
        assert 1 <= finding.line <= lines and finding.col >= 0
        assert finding.message and finding.module
    # the prefilter and the hot-line walk are optimisations: a full walk finds the same
    assert found == check_tree(ast.parse(text), context)


@BOUNDED
@given(programs)
def test_flake8_adapter_never_crashes(text: str) -> None:
    assume(_parses(text))
    CoordinationChecker.settings = SETTINGS
    CoordinationChecker.today = TODAY
    try:
        lines = text.splitlines(keepends=True)
        results = list(CoordinationChecker(ast.parse(text), "pkg/mod.py", lines).run())
    finally:
        CoordinationChecker.settings = None
    for line, col, message, kind in results:
        assert line >= 1 and col >= 0 and message[:5] == "COORD" and kind is CoordinationChecker


def comment_count(text: str) -> int:
    return sum(1 for tok in tokenize.generate_tokens(io.StringIO(text).readline) if tok.type == tokenize.COMMENT)


FIXER = importlib.util.find_spec("flake8_coordination.fixer")


@pytest.mark.skipif(FIXER is None, reason="flake8_coordination.fixer is not installed")
@BOUNDED
@given(programs, contexts)
def test_fixer_output_parses_is_a_fixed_point_and_keeps_comments(text: str, context: Context) -> None:
    from flake8_coordination import fixer

    assume(_parses(text))
    fixed, _ = fixer.fix_source(text, context)
    assert _parses(fixed)
    assert fixer.fix_source(fixed, context)[0] == fixed
    assert comment_count(fixed) >= comment_count(text)


# -- the cache of big registries ------------------------------------------------------
def _big_registry(path, count: int = 9000) -> None:
    lines = ["[tool.flake8-coordination]", "use-default = false"]
    for i in range(count):
        lines += [f'[tool.flake8-coordination.deprecated."legacy{i}.old"]', f'replacement = "modern{i}.new"']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_big_registry_is_cached_and_the_cache_is_never_trusted_blindly(tmp_path, monkeypatch):
    from flake8_coordination import config

    cache = tmp_path / "cache"
    monkeypatch.setenv("FLAKE8_COORDINATION_CACHE_DIR", str(cache))
    path = tmp_path / "pyproject.toml"
    _big_registry(path)
    assert path.stat().st_size >= config.CACHE_MIN_BYTES
    first = config.load_settings(path)
    [stored] = cache.iterdir()
    second = config.load_settings(path)
    assert second.registry.deprecations == first.registry.deprecations
    assert second.registry.needles == first.registry.needles
    stored.write_bytes(b"not a pickle")  # corrupt: built again, and rewritten
    assert config.load_settings(path).registry.deprecations == first.registry.deprecations
    _big_registry(path, 9001)  # edited: a new key, never the old settings
    assert "legacy9000.old" in config.load_settings(path).registry.deprecations
    path.write_text(path.read_text() + "colour = 1\n")  # now invalid: the error, not a cached result
    with pytest.raises(config.ConfigError):
        config.load_settings(path)


def test_cached_registry_holds_every_field_of_every_entry():
    import pickle

    from flake8_coordination.registry import LazyDeprecations

    settings = build_settings({
        "deprecated": {
            "old.a": {"replacement": "new.a", "reason": "merged", "removal": "2026-06-30", "allow": ["tests.*"],
                      "names": {"Old": "new.a:New", "Hint": {"replacement": "new.b:Other", "manual": True, "note": "by hand"},
                                "Shim": {"replacement": "new.a:Shim", "adapter": True}},
                      "category": "PendingDeprecationWarning"},
            "old.b": {},
        },
    }, "cached")
    registry = settings.registry
    loaded = pickle.loads(pickle.dumps(registry))
    assert isinstance(loaded.deprecations, LazyDeprecations)
    assert loaded == registry and loaded.needles == registry.needles
    assert sorted(loaded.deprecations) == sorted(registry.deprecations)
    for module, entry in registry.deprecations.items():
        assert loaded.deprecations[module] == entry and loaded.deprecations.get(module) == entry
    assert loaded.deprecations.get("old.c") is None and "old.c" not in loaded.deprecations
    assert pickle.loads(pickle.dumps(loaded)) == registry


def test_cache_can_be_switched_off_and_small_files_are_not_cached(tmp_path, monkeypatch):
    from flake8_coordination import config

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("FLAKE8_COORDINATION_CACHE_DIR", "")
    big = tmp_path / "big" / "pyproject.toml"
    big.parent.mkdir()
    _big_registry(big)
    config.load_settings(big)
    monkeypatch.delenv("FLAKE8_COORDINATION_CACHE_DIR")
    small = tmp_path / "pyproject.toml"
    small.write_text("[tool.flake8-coordination]\nuse-default = false\n")
    config.load_settings(small)
    assert not (tmp_path / "xdg").exists()


def test_check_paths_in_processes_gives_the_same_run(tmp_path):
    from flake8_coordination.engine import check_paths

    for i in range(12):
        body = "import a\nfrom b import c\n" if i % 3 == 0 else "import os\n"
        (tmp_path / f"m{i:02}.py").write_text(body, encoding="utf-8")
    (tmp_path / "bad.py").write_bytes(b"import a\ndef f(:\n")
    one = check_paths([str(tmp_path)], SETTINGS, TODAY, jobs=1)
    two = check_paths([str(tmp_path)], SETTINGS, TODAY, jobs=2)
    assert two.results == one.results
    assert len(one.findings) == 8 and one.errors == [f"{tmp_path / 'bad.py'}:2:7: syntax error: invalid syntax"]
