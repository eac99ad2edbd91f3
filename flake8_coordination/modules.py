"""Module names from file paths, and relative imports resolved against them."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional, Sequence, Tuple


def module_name(path: str, src_roots: Sequence[Path] = ()) -> Optional[str]:
    """The dotted module name of the file at *path*, or None when unknown (stdin).

    With *src_roots*, the name is the path relative to the first root containing it;
    otherwise it is found by walking up through folders holding ``__init__.py``.
    """
    if path in ("stdin", "-", "") or not path.endswith((".py", ".pyi")):
        return None
    absolute = Path(os.path.abspath(path))
    for root in src_roots:
        try:
            relative = absolute.relative_to(Path(os.path.abspath(root)))
        except ValueError:
            continue
        return _dotted(relative.with_suffix("").parts)
    parts = [absolute.stem]
    folder = absolute.parent
    while (folder / "__init__.py").is_file() or (folder / "__init__.pyi").is_file():
        parts.append(folder.name)
        if folder.parent == folder:
            break
        folder = folder.parent
    return _dotted(tuple(reversed(parts)))


def _dotted(parts: Tuple[str, ...]) -> Optional[str]:
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    if not parts or not all(part.isidentifier() for part in parts):
        return None
    return ".".join(parts)


def package_of(module: Optional[str], is_package: bool) -> Optional[str]:
    """The package a relative import in *module* is resolved against."""
    if module is None:
        return None
    if is_package:
        return module
    return module.rpartition(".")[0] or None


def resolve_relative(level: int, target: Optional[str], package: Optional[str]) -> Optional[str]:
    """Absolute module for ``from <'.' * level><target> import ...`` inside *package*.

    None when it cannot be known (no package, or more dots than the package has).
    """
    if level == 0:
        return target
    if package is None:
        return None
    parts = package.split(".")
    if level - 1 >= len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, target] if target else base)


def is_package_file(path: str) -> bool:
    return os.path.basename(path) in ("__init__.py", "__init__.pyi")
