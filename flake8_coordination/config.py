"""Find, read and validate a registry from ``pyproject.toml`` or ``setup.cfg``.

Every problem raises :class:`ConfigError` naming the file and the key; nothing here
ever lets a traceback through for bad input.
"""
from __future__ import annotations

import datetime
import os
import re
import sys
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

from flake8_coordination.codes import CODES, not_a_code
from flake8_coordination.defaults import default_table
from flake8_coordination.exports import SourceTree
from flake8_coordination.registry import Facade, ModuleDeprecation, NameMove, Registry

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TOOL = "flake8-coordination"
CATEGORIES = ("DeprecationWarning", "PendingDeprecationWarning", "FutureWarning", "UserWarning")
TOP_KEYS = {
    "use-default", "package", "target-module-count", "deprecated", "facades", "src",
    "type-checking", "disable",
}
ENTRY_KEYS = {"replacement", "reason", "removal", "allow", "names", "category"}
NAME_KEYS = {"replacement", "manual", "note", "adapter"}
FACADE_KEYS = {"fronts", "members", "aliases"}
TYPE_CHECKING_POLICIES = ("report", "ignore")

_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PATTERN = re.compile(r"^[A-Za-z0-9_.*?\[\]!]+$")
_QUARTER = re.compile(r"^Q([1-4])\s+(\d{4})$")
_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


class ConfigError(Exception):
    """A registry problem, located: ``<file>: <key>: <what is wrong>``."""

    def __init__(self, where: str, key: str, problem: str) -> None:
        self.where, self.key, self.problem = where, key, problem
        super().__init__(f"{where}: {key}: {problem}" if key else f"{where}: {problem}")


class Settings:
    """Registry plus the non-registry options read from the same table."""

    def __init__(self, registry: Registry, src: Tuple[str, ...] = (), type_checking: str = "report",
                 disable: Tuple[str, ...] = (), root: Optional[Path] = None) -> None:
        self.registry = registry
        self.src = src
        self.type_checking = type_checking
        self.disable = disable
        self.root = root
        self._sources: Optional[SourceTree] = None

    def source_tree(self) -> SourceTree:
        """Where replacement modules are read to prove what they define (built once)."""
        if self._sources is None:
            base = self.root or Path.cwd()
            self._sources = SourceTree([*(base / src for src in self.src), *([self.root] if self.root else [])])
        return self._sources

    def __getstate__(self) -> Dict[str, Any]:  # the source tree is a per-process cache
        return {**self.__dict__, "_sources": None}


# -- finding and reading --------------------------------------------------------
def find_config(start: Path) -> Optional[Path]:
    """The nearest ``pyproject.toml`` / ``setup.cfg`` holding our section, walking up."""
    try:
        start = start.resolve()
    except (OSError, RuntimeError):  # a symlink loop: look from where it is
        start = Path(os.path.abspath(start))
    directory = start if start.is_dir() else start.parent
    for folder in (directory, *directory.parents):
        for name in ("pyproject.toml", "setup.cfg"):
            candidate = folder / name
            if candidate.is_file() and _has_section(candidate):
                return candidate
            if candidate.is_file():
                _reject_near_miss(candidate)
    return None


def _section_name(path: Path) -> str:
    return f"[tool.{TOOL}]" if path.suffix == ".toml" else f"[{TOOL}]"


_NEAR_MISSES = re.compile(r"^\[(?:tool\.)?\"?(?:flake8[_.]coordination|flake8coordination)\"?[\].:]", re.MULTILINE)
_TOML_NEAR_MISS = re.compile(r"^\[\"?flake8-coordination\"?[\].]", re.MULTILINE)


def _has_section(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    if path.suffix == ".toml":
        return f"[tool.{TOOL}" in text or f'[tool."{TOOL}"' in text
    return f"[{TOOL}" in text


def _reject_near_miss(path: Path) -> None:
    """A section that is almost ours (``[tool.flake8_coordination]``) is a mistake, not silence."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return
    match = _NEAR_MISSES.search(text) or (_TOML_NEAR_MISS.search(text) if path.suffix == ".toml" else None)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise ConfigError(f"{path}:{line}", "", f"section {match.group(0).rstrip('.:')!r} is not read; did you mean {_section_name(path)}?")


def read_table(path: Path) -> Dict[str, Any]:
    """The raw registry table of *path* (empty when the file has no section)."""
    where = str(path)
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise ConfigError(where, "", "is a directory, not a configuration file") from None
    except OSError as exc:
        raise ConfigError(where, "", f"cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(where, "", f"is not UTF-8 (byte {exc.start})") from None
    if path.suffix == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(where, "", f"invalid TOML: {exc}") from None
        table = data.get("tool", {}).get(TOOL, {})
        if not isinstance(table, dict):
            raise ConfigError(where, f"tool.{TOOL}", "must be a table")
        return table
    return _read_setup_cfg(text, where)


def _read_setup_cfg(text: str, where: str) -> Dict[str, Any]:
    """``[flake8-coordination]`` plus ``[flake8-coordination:deprecated:<module>]`` and
    ``[flake8-coordination:facade:<module>]`` sections, lists one item per line and
    name moves as ``Old = module:New`` lines."""
    import configparser

    parser = configparser.RawConfigParser()
    parser.optionxform = str  # type: ignore[assignment]
    try:
        parser.read_string(text, source=where)
    except configparser.Error as exc:
        problem = " ".join(str(exc).split())  # one line, even for configparser's multi-line texts
        raise ConfigError(where, "", f"invalid INI: {problem}") from None
    table: Dict[str, Any] = {}
    for section in parser.sections():
        head, _, rest = section.partition(":")
        if head != TOOL:
            continue
        values = dict(parser.items(section))
        if not rest:
            table.update({k: _ini_value(k, v) for k, v in values.items()})
            continue
        kind, _, module = rest.partition(":")
        if kind == "deprecated":
            table.setdefault("deprecated", {})[module] = {k: _ini_value(k, v) for k, v in values.items()}
        elif kind == "facade":
            table.setdefault("facades", {})[module] = {k: _ini_value(k, v) for k, v in values.items()}
        else:
            raise ConfigError(where, f"[{section}]", "unknown section; use ':deprecated:<module>' or ':facade:<module>'")
    return table


_INI_LISTS = {"allow", "fronts", "members", "aliases", "src", "disable"}


def _ini_value(key: str, value: str) -> Any:
    value = value.strip()
    if key in _INI_LISTS:
        return [item.strip() for item in re.split(r"[\n,]", value) if item.strip()]
    if key == "names":
        moves = {}
        for line in value.splitlines():
            if line.strip():
                old, sep, new = line.partition("=")
                moves[old.strip()] = new.strip() if sep else ""
        return moves
    if key in {"use-default", "manual", "adapter"}:
        return {"true": True, "false": False}.get(value.lower(), value)
    if key == "target-module-count":
        return int(value) if value.isdigit() else value
    return value


# -- validating -----------------------------------------------------------------
def build_settings(table: Mapping[str, Any], where: str, root: Optional[Path] = None) -> Settings:
    """Validate *table* (merged over the default unless ``use-default = false``)."""
    _check_keys(table, TOP_KEYS, where, f"[tool.{TOOL}]" if where.endswith(".toml") else f"[{TOOL}]")
    use_default = _get(table, "use-default", bool, where, True)
    base = default_table() if use_default else {"deprecated": {}, "facades": {}}
    deprecated_raw = dict(base["deprecated"])
    deprecated_raw.update(_get(table, "deprecated", dict, where, {}))
    facades_raw = dict(base["facades"])
    facades_raw.update(_get(table, "facades", dict, where, {}))

    deprecations = {
        module: _deprecation(module, entry, where)
        for module, entry in deprecated_raw.items()
        if _dotted(module, where, "deprecated")
    }
    _check_chains(deprecations, where)
    facades = {
        module: _facade(module, entry, where)
        for module, entry in facades_raw.items()
        if _dotted(module, where, "facades")
    }
    package = _get(table, "package", str, where, base.get("package"))
    if package is not None:
        _dotted(package, where, "package")
    target = _get(table, "target-module-count", int, where, base.get("target-module-count"))
    if target is not None and target < 1:
        raise ConfigError(where, "target-module-count", f"must be a positive number of modules, not {target}")
    registry = Registry(deprecations, facades, package, target, source=where)
    src = tuple(_get_list(table, "src", where))
    policy = _get(table, "type-checking", str, where, "report")
    if policy not in TYPE_CHECKING_POLICIES:
        raise ConfigError(where, "type-checking", f"must be one of {', '.join(TYPE_CHECKING_POLICIES)}, not {policy!r}")
    disable = tuple(_get_list(table, "disable", where))
    for code in disable:
        if code not in CODES:
            raise ConfigError(where, "disable", not_a_code(code))
    return Settings(registry, src, policy, disable, root)


def _deprecation(module: str, entry: Any, where: str) -> ModuleDeprecation:
    key = f"deprecated.{module!r}"
    if not isinstance(entry, dict):
        raise ConfigError(where, key, f"must be a table, not {type(entry).__name__}")
    _check_keys(entry, ENTRY_KEYS, where, key)
    replacement = _get(entry, "replacement", str, where, None, key)
    if replacement is not None:
        _dotted(replacement, where, f"{key}.replacement")
        if replacement == module or replacement.startswith(module + "."):
            raise ConfigError(where, f"{key}.replacement", f"{replacement!r} is {module!r} or inside it, so deprecated too")
    category = _get(entry, "category", str, where, "DeprecationWarning", key)
    if category not in CATEGORIES:
        raise ConfigError(where, f"{key}.category", f"must be one of {', '.join(CATEGORIES)}")
    allow = tuple(_get_list(entry, "allow", where, key))
    for pattern in allow:
        if not _PATTERN.match(pattern):
            raise ConfigError(where, f"{key}.allow", f"{pattern!r} is not a module name or glob")
    names_raw = _get(entry, "names", dict, where, {}, key)
    names = {old: _name_move(module, old, new, where, f"{key}.names.{old}") for old, new in names_raw.items()}
    return ModuleDeprecation(
        module=module,
        replacement=replacement,
        reason=_get(entry, "reason", str, where, "", key),
        removal=_date(entry.get("removal"), where, f"{key}.removal"),
        allow=allow,
        names=names,
        category=category,
    )


def _name_move(module: str, old: str, value: Any, where: str, key: str) -> NameMove:
    if not _IDENT.match(old):
        raise ConfigError(where, key, f"{old!r} is not a Python name")
    manual, note, adapter = False, "", False
    if isinstance(value, dict):
        _check_keys(value, NAME_KEYS, where, key)
        manual = _get(value, "manual", bool, where, False, key)
        note = _get(value, "note", str, where, "", key)
        adapter = _get(value, "adapter", bool, where, False, key)
        value = value.get("replacement")
    if not isinstance(value, str) or value.count(":") != 1:
        raise ConfigError(where, key, f"must be 'module:name', not {value!r}")
    new_module, new_name = value.split(":")
    if not _DOTTED.match(new_module) or not _IDENT.match(new_name):
        raise ConfigError(where, key, f"{value!r} is not 'dotted.module:name'")
    return NameMove(module, old, new_module, new_name, manual, note, adapter)


def _check_chains(deprecations: Mapping[str, ModuleDeprecation], where: str) -> None:
    """Reject replacement cycles, for modules and for names."""
    for start in deprecations:
        seen = [start]
        current = deprecations[start].replacement
        while current is not None and current in deprecations:
            if current in seen:
                cycle = " -> ".join([*seen, current])
                raise ConfigError(where, f"deprecated.{start!r}.replacement", f"replacements form a cycle: {cycle}")
            seen.append(current)
            current = deprecations[current].replacement
    for entry in deprecations.values():
        for move in entry.names.values():
            seen_names = [(move.module, move.name)]
            target: Optional[NameMove] = move
            while target is not None:
                step = (target.new_module, target.new_name)
                if step in seen_names:
                    cycle = " -> ".join(f"{m}:{n}" for m, n in [*seen_names, step])
                    raise ConfigError(where, f"deprecated.{move.module!r}.names.{move.name}", f"renames form a cycle: {cycle}")
                seen_names.append(step)
                nxt = deprecations.get(target.new_module)
                target = nxt.names.get(target.new_name) if nxt else None


def _facade(module: str, entry: Any, where: str) -> Facade:
    key = f"facades.{module!r}"
    if not isinstance(entry, dict):
        raise ConfigError(where, key, f"must be a table, not {type(entry).__name__}")
    _check_keys(entry, FACADE_KEYS, where, key)
    fronts = tuple(_get_list(entry, "fronts", where, key))
    if not fronts:
        raise ConfigError(where, f"{key}.fronts", "a facade must front at least one module")
    for item in fronts:
        _dotted(item, where, f"{key}.fronts")
    aliases = tuple(_get_list(entry, "aliases", where, key))
    for item in aliases:
        _dotted(item, where, f"{key}.aliases")
    members = tuple(_get_list(entry, "members", where, key))
    for pattern in members:
        if not _PATTERN.match(pattern):
            raise ConfigError(where, f"{key}.members", f"{pattern!r} is not a module name or glob")
    return Facade(module, fronts, members, aliases)


def _date(value: Any, where: str, key: str) -> Optional[datetime.date]:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        quarter = _QUARTER.match(value.strip())
        if quarter:
            month, day = _QUARTER_END[int(quarter.group(1))]
            return datetime.date(int(quarter.group(2)), month, day)
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ConfigError(where, key, f"{value!r} is not a date (YYYY-MM-DD or 'Q2 2026')")


def parse_date(value: str) -> datetime.date:
    """Parse a ``--coordination-today`` style value; ValueError with a clear text."""
    try:
        return _date(value, "", "") or datetime.date.today()
    except ConfigError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _check_keys(table: Mapping[str, Any], allowed: set, where: str, key: str) -> None:
    for name in table:
        if name not in allowed:
            raise ConfigError(where, f"{key}.{name}" if key else name, f"unknown key (expected one of: {', '.join(sorted(allowed))})")


def _get(table: Mapping[str, Any], name: str, kind: type, where: str, default: Any, key: str = "") -> Any:
    value = table.get(name, default)
    if value is default:
        return value
    if kind is int and isinstance(value, bool) or not isinstance(value, kind):
        raise ConfigError(where, f"{key}.{name}" if key else name, f"must be {_KIND[kind]}, not {type(value).__name__} {value!r}")
    return value


_KIND = {bool: "true or false", str: "a string", int: "an integer", dict: "a table", list: "a list"}


def _get_list(table: Mapping[str, Any], name: str, where: str, key: str = "") -> List[str]:
    value = table.get(name, [])
    full = f"{key}.{name}" if key else name
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(where, full, f"must be a list of strings, not {value!r}")
    return value


def _dotted(name: Any, where: str, key: str) -> bool:
    if not isinstance(name, str) or not _DOTTED.match(name):
        raise ConfigError(where, key, f"{name!r} is not a dotted module name")
    return True


# -- flake8's own configuration ----------------------------------------------------
FLAKE8_FILES = ("setup.cfg", "tox.ini", ".flake8")


def read_flake8_options(start: Path) -> Dict[str, Any]:
    """The ``coordination-*`` options of flake8's configuration, found as flake8 finds it
    (the first of setup.cfg / tox.ini / .flake8 with a ``[flake8]`` section, from *start*
    upwards), so that the commands agree with the plugin: ``today``, ``disable`` and
    ``type-checking`` (validated; empty when there is none)."""
    for folder in (start.resolve(), *start.resolve().parents):
        for name in FLAKE8_FILES:
            path = folder / name
            if not path.is_file():
                continue
            import configparser

            parser = configparser.RawConfigParser()
            try:
                parser.read(path, encoding="utf-8")
            except (configparser.Error, UnicodeDecodeError) as exc:
                raise ConfigError(str(path), "", f"invalid INI: {exc}") from None
            if parser.has_section("flake8"):
                return _flake8_options(dict(parser.items("flake8")), str(path))
    return {}


def _flake8_options(section: Dict[str, str], where: str) -> Dict[str, Any]:
    values = {key.replace("_", "-"): value.strip() for key, value in section.items()}
    found: Dict[str, Any] = {}
    if values.get("coordination-today"):
        try:
            found["today"] = parse_date(values["coordination-today"])
        except ValueError as exc:
            raise ConfigError(where, "[flake8] coordination-today", str(exc)) from None
    if values.get("coordination-disable"):
        codes = [c.strip() for c in re.split(r"[,\s]+", values["coordination-disable"]) if c.strip()]
        for code in codes:
            if code not in CODES:
                raise ConfigError(where, "[flake8] coordination-disable", not_a_code(code))
        found["disable"] = tuple(codes)
    policy = values.get("coordination-type-checking")
    if policy:
        if policy not in TYPE_CHECKING_POLICIES:
            raise ConfigError(where, "[flake8] coordination-type-checking", f"{policy!r} is not one of report, ignore")
        found["type-checking"] = policy
    return found


# -- the one entry point ----------------------------------------------------------
def load_settings(config: Optional[Path] = None, start: Optional[Path] = None) -> Settings:
    """Settings from *config*, else from the nearest config above *start*, else the default."""
    path = config if config is not None else find_config(start or Path.cwd())
    if path is None:
        return build_settings({}, "built-in default")
    if config is not None and not path.exists():
        raise ConfigError(str(path), "", "no such file")
    key = _cache_key(path)
    cached = _cache_get(key)
    if cached is not None:
        return cached
    table = read_table(path)
    if config is not None and not table and not _has_section(path):
        raise ConfigError(str(path), "", f"has no {_section_name(path)} section")
    settings = build_settings(table, str(path), root=path.parent.resolve())
    _cache_put(key, settings)
    return settings


# -- a cache for big registries -------------------------------------------------------
#: registries in smaller files are parsed every time (under 7 ms; loading the cache takes 3 to 5)
CACHE_MIN_BYTES = 32 * 1024


def _cache_key(path: Path) -> Optional[Path]:
    """Where the settings built from *path* are kept, or None when not worth it.

    Only big files (hundreds of entries and more: parsing and validating takes about
    0.2 ms a KiB) are cached, in ``$FLAKE8_COORDINATION_CACHE_DIR`` or
    ``$XDG_CACHE_HOME/flake8-coordination`` (``~/.cache/...``); the name covers the
    file's path, size and modification time and the code that validates it.
    Set ``FLAKE8_COORDINATION_CACHE_DIR`` to an empty string to switch it off.
    """
    folder = os.environ.get("FLAKE8_COORDINATION_CACHE_DIR")
    if folder == "":
        return None
    try:
        stat = path.stat()
        if stat.st_size < CACHE_MIN_BYTES:
            return None
        code = [os.stat(module).st_mtime_ns for module in (__file__, _registry_file(), _defaults_file())]
        if folder is None:
            base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
            folder = os.path.join(base, "flake8-coordination")
        import hashlib

        stamp = f"{os.path.abspath(path)}|{stat.st_size}|{stat.st_mtime_ns}|{code}|{sys.version_info[:2]}"
        return Path(folder) / f"registry-{hashlib.sha256(stamp.encode()).hexdigest()[:32]}.pickle"
    except OSError:
        return None


def _registry_file() -> str:
    from flake8_coordination import registry

    return registry.__file__


def _defaults_file() -> str:
    from flake8_coordination import defaults

    return defaults.__file__


def _cache_get(key: Optional[Path]) -> Optional[Settings]:
    if key is None:
        return None
    import pickle

    try:
        with open(key, "rb") as handle:
            settings = pickle.load(handle)
    except Exception:  # noqa: BLE001 - missing, unreadable or stale: build it again
        return None
    return settings if isinstance(settings, Settings) else None


def _cache_put(key: Optional[Path], settings: Settings) -> None:
    if key is None:
        return
    import pickle
    import tempfile

    try:
        key.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=key.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(settings, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, key)
    except Exception:  # noqa: BLE001 - a cache that cannot be written is no cache
        try:
            os.unlink(temporary)
        except Exception:  # noqa: BLE001
            pass
