"""The excerpt a check parses: kept statements keep their place, and walking it finds
exactly what walking the whole tree finds."""
from __future__ import annotations

import ast
import datetime
import sys
import textwrap
from typing import List, Optional, Sequence

import hypothesmith
import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from flake8_coordination.checker import Context, Finding, check_source, check_tree
from flake8_coordination.config import build_settings
from flake8_coordination.excerpt import excerpt
from flake8_coordination.references import AttributeChain, FromImport, ModuleImport, iter_references

PACKAGE = "pkg.sub"
TABLE = {
    "use-default": False,
    "deprecated": {
        "a": {"replacement": "z", "names": {"Old": "z:New"}},
        "b.c": {"replacement": "y.c", "removal": "2000-01-01"},
        "p.q.r": {"replacement": "s", "allow": ["p.*"]},
    },
    "facades": {"f": {"fronts": ["b.d", "e"], "members": ["g"]}},
}
SETTINGS = build_settings(TABLE, "excerpt")
TODAY = datetime.date(2026, 1, 1)
BOUNDED = settings(max_examples=40, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))


def dedent(text: str) -> str:
    return textwrap.dedent(text)


def parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def reference_keys(tree: ast.AST, hot_lines: Sequence[int]) -> List[tuple]:
    """What every reference found says, sorted: kind, place and the names it holds."""
    keys = []
    for ref in iter_references(tree, PACKAGE, False, hot_lines):
        if isinstance(ref, ModuleImport):
            held: tuple = (ref.module,)
        elif isinstance(ref, FromImport):
            held = (ref.module, tuple((n.name, n.line, n.col) for n in ref.names))
        elif isinstance(ref, AttributeChain):
            held = (ref.dotted, ref.imported)
        else:
            held = (ref.value, ref.resolved, ref.kind)
        keys.append((type(ref).__name__, ref.line, ref.col, *held))
    return sorted(keys)


def assert_in_place(source: str, text: str) -> None:
    """Every line of *text* is the source's line, empty, or ``pass`` at its indentation."""
    lines = source.split("\n")
    kept = text.split("\n")
    assert len(kept) == len(lines)
    for line, out in zip(lines, kept):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        assert out in ("", line, indent + "pass"), (line, out)


def assert_finds_the_same(source: str, hot_lines: Sequence[int]) -> Optional[str]:
    """The excerpt of *source* (which parses) walks like the whole tree; returns it."""
    hot_lines = sorted(set(hot_lines))
    text = excerpt(source, hot_lines)
    if text is None:
        return None
    assert_in_place(source, text)
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text  # the caller then parses the whole file
    assert reference_keys(tree, hot_lines) == reference_keys(ast.parse(source), hot_lines)
    return text


# -- exact excerpts -------------------------------------------------------------------
EXCERPTS = {
    "one_statement_in_place": (
        """\
        x = 1
        y = a.b
        z = 3
        """,
        [2],
        """\

        y = a.b

        """,
    ),
    "columns_kept": ("x = 1\n    \nif x:  y =  a.b\n", [3], "\n\nif x:  y =  a.b\n"),
    "nested_headers_kept": (
        """\
        class K:
            x = 1
            def f(self):
                for i in x:
                    while i:
                        with open(i) as h:
                            if h:
                                y = 2
                                z = a.b
                    t = 3
            u = 4
        """,
        [9],
        """\
        class K:

            def f(self):
                for i in x:
                    while i:
                        with open(i) as h:
                            if h:

                                z = a.b


        """,
    ),
    "try_and_match_headers": (
        """\
        try:
            match x:
                case 1:
                    y = 1
                case [b, *_]:
                    y = a.b
        except E:
            raise
        """,
        [6],
        """\
        try:
            match x:


                case [b, *_]:
                    y = a.b
        except E:
            pass
        """,
    ),
    "match_keeps_its_first_case": (
        """\
        match a.x:
            case 1:
                y = 1
            case _:
                y = 2
        """,
        [1],
        """\
        match a.x:
            case 1:
                pass


        """,
    ),
    "empty_body_gets_pass": (
        """\
        def f():
            x = 1
            y = 2
        z = a
        """,
        [1],
        """\
        def f():
            pass


        """,
    ),
    "pass_at_first_body_line_indentation": (
        """\
        if a.b:
                # a comment
                x = (1,
                     2)
                y = 3
        """,
        [1],
        """\
        if a.b:

                pass


        """,
    ),
    "if_elif_else": (
        """\
        x = 0
        if c:
            x = 1
        elif d:
            y = a.b
        else:
            x = 2
        w = 0
        """,
        [5],
        """\

        if c:
            pass
        elif d:
            y = a.b
        else:
            pass

        """,
    ),
    "try_clauses_kept_from_the_last": (
        """\
        try:
            x = 1
        except E:
            x = 2
        else:
            x = 3
        finally:
            y = a.b
        """,
        [8],
        """\
        try:
            pass
        except E:
            pass
        else:
            pass
        finally:
            y = a.b
        """,
    ),
    "loop_else": (
        """\
        for i in a.b:
            x = i
        else:
            x = 0
        while c:
            x = 1
        else:
            x = 2
        """,
        [1],
        """\
        for i in a.b:
            pass
        else:
            pass




        """,
    ),
    "decorators_from_the_decorator": (
        """\
        x = 1
        @d
        @a.b(
            1)
        def f():
            return 2
        y = 3
        """,
        [4],
        """\

        @d
        @a.b(
            1)
        def f():
            pass

        """,
    ),
    "decorators_from_the_body": (
        """\
        @d
        class K:
            x = a.b
            y = 1
        """,
        [3],
        """\
        @d
        class K:
            x = a.b

        """,
    ),
    "every_import_line_kept": (
        """\
        import os
        x = 1
        def f():
            y = 2
            from a import b
        s = 'import'
        z = x  # import
        """,
        [],
        """\
        import os

        def f():

            from a import b
        s = 'import'
        z = x  # import
        """,
    ),
    "brackets_kept_whole": (
        """\
        x = (1,
             a.b,  # )
             [3])
        y = 2
        """,
        [2],
        """\
        x = (1,
             a.b,  # )
             [3])

        """,
    ),
    "backslash_kept_whole": (
        """\
        x = 1 + \\
            a.b
        y = 2
        """,
        [1],
        """\
        x = 1 + \\
            a.b

        """,
    ),
    "string_spanning_lines_kept_whole": (
        """\
        x = '''
        a.b
        ''' + f(
            1)
        y = 2
        """,
        [2],
        """\
        x = '''
        a.b
        ''' + f(
            1)

        """,
    ),
    "string_with_escaped_newline": ("s = 'a\\\nb'\ny = a.b\n", [1], "s = 'a\\\nb'\n\n"),
    "string_prefixes_and_escapes": (
        "x = rb'\\'' + Rb\"\\\\\" + bR'''y''' + u'\"'\ny = a.b\n",
        [1],
        "x = rb'\\'' + Rb\"\\\\\" + bR'''y''' + u'\"'\n\n",
    ),
    "comments_and_blank_lines_keep_nothing": (
        """\
        # a.b

            # a.b
        x = 1
        """,
        [1, 2, 3],
        "\n\n\n\n",
    ),
    "semicolons_keep_the_line": ("x = 1; import a\ny = 2\n", [], "x = 1; import a\n\n"),
    "no_trailing_newline": ("x = 1\ny = a.b", [2], "\ny = a.b"),
    "lines_past_the_end_keep_nothing_more": ("x = 1\n", [0, 3, 9], "\n"),
    "crlf_kept": ("x = 1\r\nif c:\r\n    y = a\r\n\r\nz = 2\r\n", [3], "\nif c:\r\n    y = a\r\n\n\n"),
    "crlf_pass": ("if a:\r\n    y = 1\r\n", [1], "if a:\r\n    pass\n"),
    "tabs": ("if x:\n\tif y:\n\t\ta.b\n\tz = 1\n", [3], "if x:\n\tif y:\n\t\ta.b\n\n"),
    "f_string_with_the_other_quote": (
        "x = f'{a[\"k\"]}' + f\"{b['k']!r:>{w}}\"\ny = 1\n",
        [1],
        "x = f'{a[\"k\"]}' + f\"{b['k']!r:>{w}}\"\n\n",
    ),
    "multi_line_f_string": (
        "x = f'''{a[\"k\"]}\n{b}'''\ny = 1\n",
        [2],
        "x = f'''{a[\"k\"]}\n{b}'''\n\n",
    ),
    "empty_source": ("", [1], ""),
}


#: the Python an excerpt case needs, when newer than 3.9
EXCERPT_NEEDS = {"try_and_match_headers": (3, 10), "match_keeps_its_first_case": (3, 10)}


def excerpt_params() -> list:
    return [
        pytest.param(*case, id=name, marks=[
            pytest.mark.skipif(sys.version_info < EXCERPT_NEEDS[name], reason=f"needs Python {EXCERPT_NEEDS[name]}"),
        ] if name in EXCERPT_NEEDS else [])
        for name, case in EXCERPTS.items()
    ]


@pytest.mark.parametrize("source, hot_lines, expected", excerpt_params())
def test_excerpt_text(source: str, hot_lines: List[int], expected: str) -> None:
    source, expected = dedent(source), dedent(expected)
    assert excerpt(source, hot_lines) == expected
    assert_finds_the_same(source, hot_lines)


# -- unsure: the caller parses the whole file ------------------------------------------
UNSURE = {
    "unterminated_string": "x = 'abc\ny = a.b\n",
    "unterminated_triple_quoted_string": "x = '''abc\ny = a.b\n",
    "three_quotes_closed_by_one": "x = '''abc'\ny = a.b\n",
    "three_double_quotes_closed_by_one": 'x = """abc"\ny = a.b\n',
    "unclosed_bracket": "x = (1,\ny = a.b\n",
    "unopened_bracket": "x = 1)\ny = a.b\n",
    "form_feed": "x = 1\n\x0cy = a.b\n",
    "lone_carriage_return": "x = 1\ry = a.b\n",
    "carriage_return_in_crlf_file": "x = 1\r\ny = a.b\r\rz = 2\r\n",
    "in_string_mark": "x = '\x01'\ny = a.b\n",
}


@pytest.mark.parametrize("source", UNSURE.values(), ids=list(UNSURE))
def test_unsure_gives_none(source: str) -> None:
    assert excerpt(source, [1, 2]) is None


#: lexed differently from Python 3.12 on (PEP 701), where all of them parse
NESTED_F_STRINGS = {
    "own_quote_in_field": "x = f'{a['k']}'\ny = 1\n",
    "backslash_in_field": "x = f'{\"\\n\".join(a.b)}'\ny = 1\n",
    "comment_in_field": "x = f'''{a.b  # c\n}'''\ny = 1\n",
    "nested_own_quotes": "x = f\"{f\"{a.b}\"}\"\ny = 1\n",
}


@pytest.mark.skipif(sys.version_info < (3, 12), reason="f-strings are single tokens before Python 3.12")
@pytest.mark.parametrize("source", NESTED_F_STRINGS.values(), ids=list(NESTED_F_STRINGS))
def test_nested_f_strings_give_none(source: str) -> None:
    assert parses(source)
    assert excerpt(source, [1]) is None


#: alike everywhere, but close to what differs: an excerpt must still walk like the tree
F_STRINGS = {
    "hash_in_format_spec": "import a\nx = f'{a.b:#x}'\ny = f'{a.c}' + 'a.d'\n",
    "other_quote_holding_hash": "import a\nx = f\"{'#'}\" + f'{a.b}'\ny = 1\n",
    "brace_literals": "import a\nx = f'{{a.b}}' + f'{a.c}}}'\ny = 2\n",
    "triple_quoted_field": "import a\nx = f'''{\n    a.b}'''\ny = 1\n",
    "own_quote_in_triple_quotes": "import a\nx = f'''{a.b['k']}\n'''\ny = 1\n",
    "prefix_after_word": "import a\nx = 1 if a.b else f'{a.c}'\ny = 1\n",
}


@pytest.mark.parametrize("source", F_STRINGS.values(), ids=list(F_STRINGS))
def test_f_strings_either_unsure_or_alike(source: str) -> None:
    assert parses(source)
    for hot_lines in ([1], [2], [3], [1, 2, 3]):
        assert_finds_the_same(source, hot_lines)


# -- the excerpt walks like the whole tree ---------------------------------------------
PROGRAMS = {
    "nested_imports_used_later": """\
        import a
        def f():
            import b as q
            return 1
        class K:
            from a import Old
            x = q.c.d
        try:
            import b.c
        except ImportError:
            b = None
        else:
            pass
        finally:
            pass
        a.Old.x
        q.c.e
    """,
    "decorators_and_clauses": """\
        from . import a
        from .. import e
        @mock.patch('a.Old')
        @other(
            a.x,
        )
        def t(
            p=a.y,
        ) -> a.T:
            if p:
                return a.z
            elif q:
                pass
            else:
                a.w = 1
        @d
        class K(a.Base, metaclass=e.M):
            '''a.doc'''
    """,
    "strings_and_continuations": """\
        import a, b.c as bc
        s = '''
        import e
        a.s
        '''
        x = a.b + \\
            bc.c
        y = ("a.b"
             'import'  # import e
             )
        z = r'\\'' + b"\\\\" + f'{a["k"]}' + f"{a.x!r}"
        importlib.import_module('b.c')
        sys.modules['a.b'] = mock.patch.dict(
            'sys.modules', {'a.Old': None})
    """,
    "match_loops_with": """\
        import a
        match a.x:
            case 1:
                import e
                a.y
            case [b, *_] if a.z:
                pass
            case {'k': a.Old}:
                with a.w as v, open(
                    a.u
                ) as h:
                    pass
        for i in a.s:
            while a.t:
                break
            else:
                a.v
        else:
            pass
    """,
    "async_and_one_liners": """\
        import a; import b as c
        if a.x: c.d
        else: a.e
        class K: y = a.f
        def f(): return c.g
        async def g():
            async with a.h as y:
                async for z in a.i:
                    await a.j
            return [a.k for _ in a.l if (lambda: a.m)]
        while 0: pass
    """,
    "try_star_and_nonlocal": """\
        import a
        def outer():
            v = 1
            def inner():
                nonlocal v
                v = a.x
            return inner
        try:
            a.y
        except* a.E as group:
            a.z
        except* (b.F, a.G):
            pass
    """,
    "tabs": "import a\nif a.x:\n\tfor i in a.y:\n\t\tz = a.z\n\telse:\n\t\ta.w\n\tdef f():\n\t\tpass\n",
    "crlf": "import a\r\nif a.x:\r\n    z = (a.y,\r\n         a.z)\r\nelse:\r\n    s = '''a.w\r\n'''\r\n",
    "comment_lines_between": """\
        import a
        if a.x:
            # a.y
            y = 1

        # a.z
            z = a.w
        else:  # a.v
            # import b.c
            pass
    """,
}


#: the Python a program needs, when newer than 3.8
NEEDS = {"match_loops_with": (3, 10), "try_star_and_nonlocal": (3, 11)}


def program_params() -> list:
    return [
        pytest.param(dedent(program), id=name, marks=[
            pytest.mark.skipif(sys.version_info < NEEDS[name], reason=f"needs Python {NEEDS[name]}"),
        ] if name in NEEDS else [])
        for name, program in PROGRAMS.items()
    ]


def hot_line_choices(source: str) -> List[List[int]]:
    count = len(source.split("\n"))
    return [[], *([line] for line in range(1, count + 1)), list(range(1, count + 1))]


@pytest.mark.parametrize("source", program_params())
def test_hand_written_programs_walk_alike(source: str) -> None:
    assert parses(source)
    for hot_lines in hot_line_choices(source):
        text = assert_finds_the_same(source, hot_lines)
        assert text is not None and parses(text), hot_lines


# -- generated programs --------------------------------------------------------------
SIMPLE = (
    "import a", "import b.c as bc", "from a import Old", "from . import a", "from .b import c", "import e, p.q.r",
    "a.Old.x = 1", "y = bc.z", "mock.patch('a.Old')", "importlib.import_module('b.c')", "sys.modules['a.b']",
    "x = (a\n    .Old)", "s = '''\nimport a\n'''", "t = a.x + \\\n    a.y", "pass", "w = 1; import e",
    "u = f'{a.x!r}' + f\"{a['k']}\"", "v = [\n    a.Old,  # ]\n]", "return a.z", "a.f(e.g)",
)
FILLERS = ("", "# import a", "# a.Old")
COMPOUNDS = (
    ("if a.x:",), ("if a.x:", "elif bc.y:", "else:"), ("if e:", "else:"),
    ("for i in a.y:",), ("for i in a.y:", "else:"), ("while e.z:", "else:"),
    ("try:", "except (ImportError, a.E):"), ("try:", "finally:"),
    ("try:", "except b.F as err:", "except ImportError:", "else:", "finally:"),
    ("with a.cm() as m, \\\n     b.c.cm():",),
    ("def f(\n    p=a.Old,\n) -> a.T:",), ("@a.Old", "@mock.patch(\n    'a.Old')", "async def g():"),
    ("@functools.cache", "class K(a.Base):"), ("class K:",),
)
CASES = ("case a.Old:", "case [b, *_] if a.z:", "case {'k': 1}:")


def _lines(text: str, indent: str) -> List[str]:
    return [indent + line if line else line for line in text.split("\n")]


def _render(block, indent: str, unit: str) -> List[str]:
    """A statement (its text, or its clauses: header and body) as indented lines."""
    if isinstance(block, str):
        return _lines(block, indent)
    return [line for header, body in block for line in _lines(header, indent) + _render_body(body, indent + unit, unit)]


def _render_body(body, indent: str, unit: str) -> List[str]:
    return [line for block in body for line in _render(block, indent, unit)]


def _clauses(headers: Sequence[str], body: st.SearchStrategy) -> st.SearchStrategy:
    return st.tuples(*(st.tuples(st.just(h), st.just([]) if h[0] == "@" else body) for h in headers))


def _compounds(statements: st.SearchStrategy) -> st.SearchStrategy:
    """Compound statements, each body some *statements* among comments and blank lines."""
    fillers = st.sampled_from(FILLERS)
    body = st.builds(
        lambda before, first, rest: [*before, first, *rest],
        st.lists(fillers, max_size=1), statements, st.lists(st.one_of(statements, fillers), max_size=2),
    )
    cases = st.lists(st.one_of([_clauses([case], body) for case in CASES]), min_size=1, max_size=2)
    return st.one_of(*(_clauses(headers, body) for headers in COMPOUNDS), st.builds(lambda b: (("match a.v:", b),), cases))


statements = st.recursive(st.sampled_from(SIMPLE), _compounds, max_leaves=12)
nested_programs = st.builds(
    lambda body, unit, newline: newline.join(_render_body(body, "", unit)) + newline,
    st.lists(statements, min_size=1, max_size=4),
    st.sampled_from(["    ", "\t", "  "]),
    st.sampled_from(["\n", "\r\n"]),
)
hypothesmith_programs = st.builds(
    lambda prefix, body: "\n".join(prefix) + "\n" + body,
    st.lists(st.sampled_from(SIMPLE), max_size=4),
    hypothesmith.from_grammar(),
)
TOKENS = (
    "import a", "a.b", "a.Old", "(", ")", "[", "]", "{", "}", "'", '"', "'''", '"""', "#", "\\", "f", "rb", "x", " = ",
    ";", ",", ":", "pass", "if a:", "else:", "try:", "except:", "finally:", "@a", "def f():", "class K:",
    " ", "    ", "\t", "\n", "\n", "\n    ", "\n\t", "\n        ", "\r\n",
)
token_soups = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)
contexts = st.builds(
    lambda module, skip: Context(
        SETTINGS.registry, module, module.rpartition(".")[0] if module else None, TODAY, skip_type_checking=skip,
    ),
    st.sampled_from([None, "pkg.mod", "g.inner", "p.q.other", "e"]),
    st.booleans(),
)


def some_lines(source: str) -> st.SearchStrategy:
    count = len(source.split("\n"))
    return st.one_of(st.lists(st.integers(1, count), max_size=6), st.just(list(range(1, count + 1))))


@pytest.mark.filterwarnings("ignore::SyntaxWarning", "ignore::DeprecationWarning")
@settings(BOUNDED, max_examples=300)
@given(token_soups, st.data())
def test_any_text_gives_none_or_an_excerpt_in_place(source: str, data: st.DataObject) -> None:
    hot_lines = sorted(set(data.draw(some_lines(source))))
    text = excerpt(source, hot_lines)
    if text is not None:
        assert_in_place(source, text)
    if parses(source):
        assert_finds_the_same(source, hot_lines)


@settings(BOUNDED, max_examples=200)
@given(nested_programs, st.data())
def test_nested_programs_walk_alike(source: str, data: st.DataObject) -> None:
    assume(parses(source))
    assert_finds_the_same(source, data.draw(some_lines(source)))


@BOUNDED
@given(hypothesmith_programs, st.data())
def test_generated_programs_walk_alike(source: str, data: st.DataObject) -> None:
    assume(parses(source))
    assert_finds_the_same(source, data.draw(some_lines(source)))


@settings(BOUNDED, max_examples=100)
@given(st.one_of(nested_programs, hypothesmith_programs), contexts)
def test_check_source_finds_what_the_whole_tree_gives(source: str, context: Context) -> None:
    assume(parses(source))
    hot_lines = SETTINGS.registry.hot_lines(source)
    assume(hot_lines)
    assert check_source(source, context) == check_tree(ast.parse(source), context, hot_lines)


# -- syntax errors ---------------------------------------------------------------------
#: (source, line of the error, whether an excerpt is made: it then does not parse)
SYNTAX_ERRORS = {
    "kept_statement": ("import a\nx = a.Old +\ny = 2\n", 2, True),
    "kept_header": ("import a\nif x:\n    def f(a.Old):\n        pass\n", 3, True),
    "kept_import": ("x = 1\nfrom a import (Old,\n    x y)\n", 3, True),
    "kept_decorator": ("import a\n@a.Old(\n    1 2)\ndef f():\n    pass\n", 3, True),
    "unsure_string": ("import a\nx = a.Old + 'b\ny = 2\n", 2, False),
}


def check(source: str) -> List[Finding]:
    return check_source(source, Context(SETTINGS.registry, "pkg.mod", "pkg", TODAY), "m.py")


@pytest.mark.parametrize("source, line, excerpted", SYNTAX_ERRORS.values(), ids=list(SYNTAX_ERRORS))
def test_syntax_error_on_a_kept_line_is_reported(source: str, line: int, excerpted: bool) -> None:
    assert (excerpt(source, SETTINGS.registry.hot_lines(source)) is not None) is excerpted
    with pytest.raises(SyntaxError) as raised:
        check(source)
    assert (raised.value.lineno, raised.value.filename) == (line, "m.py")


def test_syntax_error_in_a_statement_not_kept_goes_unseen() -> None:
    found = check("import a\nx = 1 +\n")
    assert [f.code for f in found] == ["COORD001"] and found == check("import a\n")
