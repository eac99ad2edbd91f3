"""The prefilter: a file is skipped exactly when no registered leaf name is one of its words."""
from __future__ import annotations

import re

import pytest

from flake8_coordination.config import build_settings


def registry(count: int, leaf: str):
    deprecated = {f"pkg{i // 100}.{leaf.format(i=i)}": {"replacement": "pkg.new"} for i in range(count)}
    deprecated["old.imp"] = {"replacement": "importlib"}
    return build_settings({"use-default": False, "deprecated": deprecated}, "test").registry


REGISTRIES = {
    "small": registry(6, "legacy_mod{i}"),  # a few str.find calls
    "shared-beginnings": registry(10000, "legacy_mod{i}"),  # anchors: few 5-letter beginnings
    "unrelated-names": registry(300, "m{i}_legacy"),  # too many beginnings: the word search
}

TEXTS = [
    "import pkg3.legacy_mod345\n",
    "x = legacy_mod4\n",
    "x = legacy_mod9999\n",
    "x = legacy_mod10000\n",  # not registered
    "x = my_legacy_mod5\n",  # inside a longer identifier
    "x = legacy_mod5x\n",
    "legacy_module = 1\n",  # the shared beginning alone
    "import os\n",  # 'imp' inside 'import'
    "from old import imp\n",  # 'imp' as a word
    "s = 'pkg.legacy_mod7.f'\n",
    "y = m17_legacy + m17_legacyx\n",
    "",
]


@pytest.mark.parametrize("kind", sorted(REGISTRIES))
@pytest.mark.parametrize("text", TEXTS)
def test_prefilter_is_exact(kind, text):
    found = REGISTRIES[kind]
    expected = bool(set(re.findall(r"\w+", text)) & found.needles)
    assert found.mentions_any(text) is expected


def test_each_registry_takes_its_path():
    assert len(REGISTRIES["small"].needles) == 7
    assert REGISTRIES["shared-beginnings"]._anchors == (("legac",), ("imp",))
    assert REGISTRIES["unrelated-names"]._anchors is None
