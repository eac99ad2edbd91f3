"""Machine-readable findings: text, JSON, SARIF 2.1.0 and GitHub workflow annotations.

``write_findings(items, fmt, stream)`` takes ``(path, finding)`` pairs. A finding is any
object with ``code``, ``line`` (1-based), ``col`` (0-based, as in the AST) and ``message``
(without the code); ``module`` and ``fixable`` are used when present. The COORD findings of
:mod:`flake8_coordination.checker` have all of them; other commands (contracts, ratchet)
can hand in their own records of the same shape, with their own codes.

Pure: no file system access except, once, finding where the ``docs/COORDnnn.md`` pages live
for SARIF ``helpUri`` (see :func:`docs_url`).
"""
from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any, Dict, List, Optional, Sequence, TextIO, Tuple
from urllib.parse import quote

import flake8_coordination
from flake8_coordination.codes import CODES, COORD003

FORMATS = ("text", "json", "sarif", "github")

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "flake8-coordination"
#: codes reported as errors; the rest are warnings (SARIF ``level``)
ERROR_CODES = frozenset({COORD003})

Item = Tuple[str, Any]


def write_findings(items: Sequence[Item], fmt: str, stream: TextIO, *,
                   rules: Optional[Dict[str, str]] = None) -> None:
    """Write *items* (``(path, finding)`` pairs) to *stream* in *fmt*.

    *rules* maps extra codes to their one-line titles (SARIF rules); the COORD codes are
    always known.
    """
    if fmt == "text":
        for path, finding in items:
            stream.write(f"{path}:{finding.line}:{finding.col + 1}: {finding.code} {finding.message}\n")
    elif fmt == "json":
        json.dump([finding_dict(path, finding) for path, finding in items], stream, indent=2)
        stream.write("\n")
    elif fmt == "sarif":
        json.dump(sarif_log(items, rules), stream, indent=2)
        stream.write("\n")
    elif fmt == "github":
        for path, finding in items:
            stream.write(github_annotation(path, finding) + "\n")
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


# -- JSON --------------------------------------------------------------------------
def finding_dict(path: str, finding: Any) -> Dict[str, Any]:
    """The JSON record of one finding (the shape ``check --format json`` has always had)."""
    return {
        "path": path,
        "line": finding.line,
        "column": finding.col + 1,
        "code": finding.code,
        "message": finding.message,
        "module": getattr(finding, "module", None),
        "fixable": bool(getattr(finding, "fixable", False)),
    }


# -- GitHub workflow commands --------------------------------------------------------
def github_annotation(path: str, finding: Any) -> str:
    """``::error file=...,line=...,col=...,title=CODE::message`` (GitHub Actions annotation):
    ``::error`` for the codes SARIF calls errors, ``::warning`` for the rest."""
    properties = ",".join(
        f"{key}={_escape_property(str(value))}"
        for key, value in (("file", path), ("line", finding.line), ("col", finding.col + 1),
                           ("title", finding.code))
    )
    return f"::{_level(finding.code)} {properties}::{_escape_data(finding.message)}"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


# -- SARIF 2.1.0 -------------------------------------------------------------------
def sarif_log(items: Sequence[Item], rules: Optional[Dict[str, str]] = None,
              root: Optional[Path] = None) -> Dict[str, Any]:
    """A SARIF 2.1.0 log with one run: every known rule, one result per finding.

    Relative paths become URIs relative to ``%SRCROOT%`` (*root*, default the current
    folder); absolute paths become ``file://`` URIs.
    """
    titles = dict(CODES)
    titles.update(rules or {})
    for _, finding in items:
        titles.setdefault(finding.code, finding.code)
    codes = sorted(titles)
    index = {code: i for i, code in enumerate(codes)}
    base = docs_url()
    run: Dict[str, Any] = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": flake8_coordination.__version__,
                "semanticVersion": flake8_coordination.__version__,
                "rules": [_sarif_rule(code, titles[code], base) for code in codes],
            }
        },
        "results": [_sarif_result(path, finding, index[finding.code]) for path, finding in items],
        "originalUriBaseIds": {"%SRCROOT%": {"uri": (root or Path.cwd()).resolve().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def _level(code: str) -> str:
    return "error" if code in ERROR_CODES else "warning"


def _sarif_rule(code: str, title: str, base: Optional[str]) -> Dict[str, Any]:
    rule: Dict[str, Any] = {
        "id": code,
        "name": _rule_name(title),
        "shortDescription": {"text": title},
        "fullDescription": {"text": f"{code}: {title}"},
        "help": {"text": f"{code}: {title}. See docs/{code}.md."},
        "defaultConfiguration": {"level": _level(code)},
    }
    if base is not None:
        rule["helpUri"] = f"{base}{code}.md"
    return rule


def _rule_name(title: str) -> str:
    """``import of a deprecated module`` -> ``ImportOfADeprecatedModule`` (SARIF rule name)."""
    return "".join(word[:1].upper() + word[1:] for word in title.replace("/", " ").split() if word.isalnum())


def _sarif_result(path: str, finding: Any, rule_index: int) -> Dict[str, Any]:
    result: Dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": _level(finding.code),
        "message": {"text": f"{finding.code} {finding.message}"},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": _artifact_location(path),
                "region": {"startLine": max(int(finding.line), 1), "startColumn": int(finding.col) + 1},
            }
        }],
    }
    properties = {key: getattr(finding, key) for key in ("module", "fixable") if getattr(finding, key, None) is not None}
    if properties:
        result["properties"] = properties
    return result


def _artifact_location(path: str) -> Dict[str, Any]:
    candidate = Path(path)
    if candidate.is_absolute():
        return {"uri": candidate.as_uri()}
    posix = PurePosixPath(*candidate.parts) if candidate.parts else PurePosixPath(path)
    return {"uri": quote(str(posix)), "uriBaseId": "%SRCROOT%"}


_DOCS_URL: List[Optional[str]] = []


def docs_url() -> Optional[str]:
    """Where the ``COORDnnn.md`` pages are, ending in ``/`` (None when unknown).

    The ``Documentation`` URL of the installed distribution's metadata when it has one
    (``[project.urls]`` in pyproject.toml), else the ``docs/`` folder of a source checkout
    as a ``file://`` URI.
    """
    if not _DOCS_URL:
        _DOCS_URL.append(_find_docs_url())
    return _DOCS_URL[0]


def _find_docs_url() -> Optional[str]:
    try:
        from importlib.metadata import PackageNotFoundError, metadata

        for entry in metadata(TOOL_NAME).get_all("Project-URL") or []:
            label, _, url = entry.partition(",")
            if label.strip().lower() in {"documentation", "docs"} and url.strip():
                return url.strip().rstrip("/") + "/"
    except (PackageNotFoundError, ValueError):  # pragma: no cover - not installed
        pass
    docs = Path(__file__).resolve().parent.parent / "docs"
    if docs.is_dir():
        return docs.as_uri() + "/"
    return None  # pragma: no cover - installed without docs
