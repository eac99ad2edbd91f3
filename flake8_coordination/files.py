"""Finding Python files under paths and reading them as text, with located errors."""
from __future__ import annotations

import io
import os
import tokenize
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence, Tuple

SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "__pycache__", ".mypy_cache",
    ".pytest_cache", ".ruff_cache", "node_modules", "build", "dist", ".eggs",
})


class InputError(Exception):
    """A path that cannot be checked: ``<path>: <problem>``."""


@dataclass(frozen=True)
class SourceFile:
    path: str
    text: str
    encoding: str
    newline: str


def iter_python_files(paths: Sequence[str], exclude: Iterable[str] = ()) -> Iterator[str]:
    """``*.py`` files under *paths* (the case of ``.py`` matters, as with flake8's default
    ``--filename=*.py``), skipping the folders :func:`walk` skips, as ruff does (flake8
    checks build and virtual-environment folders unless told to exclude them); files
    given explicitly are always included."""
    for path in paths:
        if os.path.isdir(path):
            yield from (found for found in walk(path, (".py",), exclude) if found.endswith(".py"))
        elif os.path.exists(path):
            yield path
        else:
            raise InputError(f"{path}: no such file or directory")


def walk(folder: str, suffixes: Tuple[str, ...], exclude: Iterable[str] = ()) -> Iterator[str]:
    """Files under *folder* whose names end with *suffixes* (any case), in a stable order,
    skipping version-control, cache, build, egg and virtual-environment folders."""
    skip = SKIP_DIRS | frozenset(exclude)
    for parent, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in skip and not d.endswith((".egg-info", ".egg")))
        for name in sorted(files):
            if name.lower().endswith(suffixes):
                yield os.path.join(parent, name)


def read_source(path: str) -> SourceFile:
    """Decode *path* as Python source (PEP 263 cookie or BOM, else UTF-8)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return decode_source(raw, path)


def decode_source(raw: bytes, path: str) -> SourceFile:
    if b"\0" in raw:
        raise InputError(f"{path}: is a binary file (contains NUL bytes)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
        text = raw.decode(encoding)
    except SyntaxError as exc:
        if str(exc).startswith("invalid or missing encoding declaration"):  # a first line that is not UTF-8
            raise InputError(f"{path}: cannot be decoded as utf-8 (byte {_first_bad_byte(raw)}) "
                             "and declares no encoding (PEP 263)") from None
        raise InputError(f"{path}: unknown encoding ({exc})") from None
    except LookupError as exc:
        raise InputError(f"{path}: unknown encoding ({exc})") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: cannot be decoded as {exc.encoding} (byte {exc.start})") from None
    if text.startswith("\ufeff"):
        text = text[1:]
        encoding = "utf-8-sig"
    return SourceFile(path, text, encoding, _newline(text))


def _first_bad_byte(raw: bytes) -> int:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return 0


def _newline(text: str) -> str:
    first = text.find("\n")
    if first > 0 and text[first - 1] == "\r":
        return "\r\n"
    if first == -1 and "\r" in text:
        return "\r"
    return "\n"


def write_atomic(path, data, encoding: str = "utf-8", newline: str = "\n") -> None:
    """Replace *path* with *data* (text or bytes) through a temporary file and a rename.

    Text is encoded with *encoding*, its ``\\n`` turned into *newline* when that is
    ``\\r\\n`` or ``\\r`` (any other value writes the text as it is).

    A reader never sees half a file; a symlink is written through, not replaced; the
    file keeps its permissions (a new one gets the umask's). Failures are InputError.
    """
    path = os.path.realpath(os.fspath(path))
    folder = os.path.dirname(path) or "."
    if isinstance(data, str):
        if newline in ("\r\n", "\r"):
            data = data.replace("\n", newline)
        data = data.encode(encoding)
    import tempfile  # for writes only: checking needs none of it

    try:
        os.makedirs(folder, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException as exc:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise InputError(f"{path}: cannot be written ({exc.strerror or exc})") from None
        raise


def _mode_for(path: str) -> int:
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
