"""The consolidation registry: what is deprecated, where it went, which facades front what.

Pure data with O(1) lookups. Built once per process by :mod:`flake8_coordination.config`.
"""
from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field, fields
from fnmatch import fnmatchcase
from typing import FrozenSet, Iterable, Iterator, List, Mapping, Optional, Tuple


def module_matches(module: str, pattern: str) -> bool:
    """True when *module* is *pattern*, a submodule of it, or matches it as a glob.

    ``app.x`` matches ``app.x`` and ``app.x.y``; ``tests.*test_x*`` is an fnmatch glob
    over the dotted name (``*`` also crosses dots).
    """
    if any(ch in pattern for ch in "*?["):
        return fnmatchcase(module, pattern)
    return module == pattern or module.startswith(pattern + ".")


def matches_any(module: Optional[str], patterns: Iterable[str]) -> bool:
    if not module:
        return False
    return any(module_matches(module, pattern) for pattern in patterns)


@dataclass(frozen=True)
class NameMove:
    """A name that left a module: ``module:name`` -> ``new_module:new_name``.

    ``manual`` moves have no drop-in replacement (a class replaced by a function,
    say): they are reported with the hint but never rewritten. An ``adapter`` move
    is a drop-in whose wrapper keeps its own object (a shim calling the new name), so
    the pytest plugin does not require the wrapper's name to be the new object.
    """

    module: str
    name: str
    new_module: str
    new_name: str
    manual: bool = False
    note: str = ""
    adapter: bool = False

    @property
    def replacement_import(self) -> str:
        return f"from {self.new_module} import {self.new_name}"


@dataclass(frozen=True)
class ModuleDeprecation:
    """A deprecated module (usually a deprecation wrapper at an old path)."""

    module: str
    replacement: Optional[str]
    reason: str = ""
    removal: Optional[datetime.date] = None
    allow: Tuple[str, ...] = ()
    names: Mapping[str, NameMove] = field(default_factory=dict)
    category: str = "DeprecationWarning"
    wrapper: Optional[str] = None

    def is_past_removal(self, today: datetime.date) -> bool:
        return self.removal is not None and today > self.removal

    def allows(self, importer: Optional[str]) -> bool:
        return matches_any(importer, (self.module, *self.allow))


@dataclass(frozen=True)
class Facade:
    """A canonical entry point fronting implementation modules of one subsystem."""

    module: str
    fronts: Tuple[str, ...]
    members: Tuple[str, ...] = ()
    aliases: Tuple[str, ...] = ()

    def is_inside(self, importer: Optional[str]) -> bool:
        """Modules that may import the implementation modules directly."""
        return matches_any(importer, (self.module, *self.aliases, *self.fronts, *self.members))


class LazyDeprecations(Mapping[str, ModuleDeprecation]):
    """Deprecations kept as tuples of their fields, each made a :class:`ModuleDeprecation`
    when first looked up: what a registry unpickled from the cache holds, since a run looks
    up a few of its thousands of entries (loading tuples is four times quicker)."""

    __slots__ = ("_fields", "_built")

    def __init__(self, fields: Mapping[str, tuple]) -> None:
        self._fields = fields
        self._built: dict = {}

    def __getitem__(self, module: str) -> ModuleDeprecation:
        found = self._built.get(module)
        if found is None:
            found = self._built[module] = _from_fields(self._fields[module])
        return found

    def get(self, module: str, default: Optional[ModuleDeprecation] = None) -> Optional[ModuleDeprecation]:
        return self[module] if module in self._fields else default

    def __contains__(self, module: object) -> bool:
        return module in self._fields

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)


def _to_fields(entry: ModuleDeprecation) -> tuple:
    values = [getattr(entry, name) for name in _DEPRECATION_FIELDS]
    values[_NAMES] = {name: tuple(getattr(move, f) for f in _MOVE_FIELDS) for name, move in entry.names.items()}
    return tuple(values)


def _from_fields(values: tuple) -> ModuleDeprecation:
    listed = list(values)
    listed[_NAMES] = {name: NameMove(*move) for name, move in listed[_NAMES].items()}
    return ModuleDeprecation(*listed)


_DEPRECATION_FIELDS = tuple(f.name for f in fields(ModuleDeprecation))
_MOVE_FIELDS = tuple(f.name for f in fields(NameMove))
_NAMES = _DEPRECATION_FIELDS.index("names")


@dataclass(frozen=True)
class Registry:
    deprecations: Mapping[str, ModuleDeprecation]
    facades: Mapping[str, Facade] = field(default_factory=dict)
    package: Optional[str] = None
    target_module_count: Optional[int] = None
    source: str = "built-in default"

    def __post_init__(self) -> None:
        implementations = {}
        for facade in self.facades.values():
            for module in facade.fronts:
                implementations[module] = facade
        object.__setattr__(self, "_implementations", implementations)
        needles = set()
        for module in (*self.deprecations, *implementations):
            needles.add(module.rpartition(".")[2])
        # moved names are not needles: every reference to one (``from old import Name``,
        # ``old.Name``, ``"old.Name"``) also spells the leaf of its module
        object.__setattr__(self, "needles", frozenset(needles))
        object.__setattr__(self, "_anchors", _anchors(needles))
        object.__setattr__(self, "_groups", _groups(needles) if len(needles) <= _SMALL else ())

    def __getstate__(self) -> dict:
        """Deprecations pickle as tuples of their fields (see :class:`LazyDeprecations`)."""
        deprecations = self.deprecations
        if isinstance(deprecations, LazyDeprecations):
            flat = deprecations._fields
        else:
            flat = {module: _to_fields(entry) for module, entry in deprecations.items()}
        return {**self.__dict__, "deprecations": flat}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, deprecations=LazyDeprecations(state["deprecations"]))

    # -- lookups: each walks the dotted name, never the registry --------------
    def deprecation_for(self, module: str) -> Optional[ModuleDeprecation]:
        """The entry for *module* or the nearest deprecated package containing it."""
        found = self.deprecations.get(module)
        while found is None and "." in module:
            module = module.rpartition(".")[0]
            found = self.deprecations.get(module)
        return found

    def name_move(self, module: str, name: str) -> Optional[NameMove]:
        deprecation = self.deprecations.get(module)
        if deprecation is None:
            return None
        return deprecation.names.get(name)

    def facade_for(self, module: str) -> Optional[Facade]:
        """The facade fronting *module* (or a package of it), if any."""
        implementations: Mapping[str, Facade] = self._implementations  # type: ignore[attr-defined]
        found = implementations.get(module)
        while found is None and "." in module:
            module = module.rpartition(".")[0]
            found = implementations.get(module)
        return found

    @property
    def implementations(self) -> Mapping[str, Facade]:
        return self._implementations  # type: ignore[attr-defined]

    @property
    def _needle_bytes(self) -> FrozenSet[bytes]:
        found = self.__dict__.get("_needle_bytes_cache")
        if found is None:
            found = frozenset(needle.encode("utf-8") for needle in self.needles)  # type: ignore[attr-defined]
            object.__setattr__(self, "_needle_bytes_cache", found)
        return found

    def mentions_any(self, text: str) -> bool:
        """Cheap prefilter: can *text* possibly contain something we report?

        Every finding needs the leaf name of a registered module, as a whole identifier,
        in the source text, so a file that contains none of them is skipped.
        """
        needles = self.needles  # type: ignore[attr-defined]
        if len(needles) <= _SMALL:
            return _mentions_a_group(text, self._groups)  # type: ignore[attr-defined]
        anchors = self._anchors  # type: ignore[attr-defined]
        if anchors is not None:
            prefixes, short = anchors
            return any(needle in text and next(_occurrences(text, needle), -1) >= 0 for needle in short) or any(
                prefix in text and _starts_a_needle(text, prefix, needles) for prefix in prefixes
            )
        return not self._needle_bytes.isdisjoint(_words(text))

    def hot_lines(self, text: str) -> List[int]:
        """Sorted 1-based numbers of the lines of *text* that mention a needle."""
        if len(self.needles) > _SMALL:  # type: ignore[attr-defined]  # only the few present, found in C
            needles = [word.decode("utf-8") for word in self._needle_bytes.intersection(_words(text))]
        else:
            needles = [needle for piece, group in self._groups if piece in text for needle in group]  # type: ignore[attr-defined]
        offsets = [
            found
            for needle in needles if needle in text
            for found in _occurrences(text, needle)
        ]
        return line_numbers(text, offsets)


_SMALL = 48


def line_numbers(text: str, offsets: Iterable[int]) -> List[int]:
    """The sorted 1-based numbers of the lines holding the *offsets* of *text*, each once."""
    lines: List[int] = []
    line = 1
    previous = 0
    for offset in sorted(offsets):
        line += text.count("\n", previous, offset)
        previous = offset
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


def _mentions_a_group(text: str, groups: Tuple[Tuple[str, Tuple[str, ...]], ...]) -> bool:
    """Does *text* hold, as a whole word, a needle of a group whose piece it holds?"""
    for piece, group in groups:
        if piece in text:
            for needle in group:
                if needle in text and next(_occurrences(text, needle), -1) >= 0:
                    return True
    return False


def _occurrences(text: str, needle: str) -> Iterator[int]:
    """Offsets of *needle* in *text* as a whole identifier (``imp`` but not ``import``)."""
    size = len(needle)
    position = text.find(needle)
    while position != -1:
        end = position + size
        if not (position and _is_word_char(text[position - 1])) and not (end < len(text) and _is_word_char(text[end])):
            yield position
        position = text.find(needle, end)


def _starts_a_needle(text: str, prefix: str, needles: FrozenSet[str]) -> bool:
    """Is some identifier of *text* that starts with *prefix* one of *needles*?"""
    position = text.find(prefix)
    while position != -1:
        if not (position and _is_word_char(text[position - 1])):
            word = _WORD.match(text, position)
            if word is not None and word.group() in needles:
                return True
        position = text.find(prefix, position + 1)
    return False


_WORD = re.compile(r"\w+")


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") | frozenset(range(128, 256))
_NOT_WORD_TO_SPACE = bytes(byte if byte in _WORD_BYTES else 32 for byte in range(256))


def _anchors(needles: Iterable[str], size: int = 5) -> Optional[Tuple[Tuple[str, ...], Tuple[str, ...]]]:
    """For a big registry whose needles share few beginnings (registries name their modules
    alike: ``legacy_*``, ``old_*``): the distinct first *size* characters of the longer
    needles and the short needles themselves. A file containing none of them contains no
    needle, which a few ``str.find`` calls tell; None when there are too many."""
    prefixes = {needle[:size] for needle in needles if len(needle) > size}
    short = {needle for needle in needles if len(needle) <= size}
    if len(prefixes) + len(short) > _SMALL:
        return None
    return tuple(sorted(prefixes)), tuple(sorted(short))


def _groups(needles: Iterable[str], size: int = 4) -> Tuple[Tuple[str, Tuple[str, ...]], ...]:
    """The needles of a small registry grouped under a piece of *size* characters they all
    contain (``_health_`` modules under ``heal``): a text without the piece holds none of
    them, so one ``str.find`` stands for the group. Needles sharing no piece with another
    stand alone, as their own piece."""
    left = set(needles)
    groups = []
    while left:
        counts = Counter(piece for needle in left for piece in {needle[i:i + size] for i in range(len(needle) - size + 1)})
        piece, count = max(counts.items(), key=lambda item: (item[1], item[0]), default=("", 0))
        if count < 2:
            break
        group = tuple(sorted(needle for needle in left if piece in needle))
        groups.append((piece, group))
        left.difference_update(group)
    groups.extend((needle, (needle,)) for needle in sorted(left))
    return tuple(groups)


def _words(text: str) -> List[bytes]:
    """The identifier-like words of *text* as UTF-8 bytes (non-ASCII bytes count as letters).

    Three C calls (encode, translate, split): several times quicker than a regular
    expression over the text, which matters for registries of thousands of modules.
    """
    return text.encode("utf-8", "surrogatepass").translate(_NOT_WORD_TO_SPACE).split()
