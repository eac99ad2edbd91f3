"""Deprecated-modules contract: deprecated modules are imported only by their wrappers."""
from __future__ import annotations

import datetime
from typing import Dict, List

from grimp import ImportGraph
from importlinter import ContractCheck, fields

from flake8_coordination.contracts._base import RegistryContract
from flake8_coordination.importgraph import Link, deprecated_links
from flake8_coordination.registry import Registry


class DeprecatedModulesContract(RegistryContract):
    """Deprecated modules may only be imported by their allowed importers.

    For every deprecated module in the registry, a direct import of it (or of a submodule
    of it) is a violation unless the importer is the module itself or matches its
    ``allow`` list -- the same rule as ``COORD001``. The output names the replacement
    and the removal date.

    Configuration options:

    - ``modules``: the deprecated modules to check (default: all in the registry).
    - ``registry``, ``ignore_imports``, ``unmatched_ignore_imports_alerting``,
      ``broken_contract_guidance``: see
      :class:`flake8_coordination.contracts._base.RegistryContract`.

    Example::

        [importlinter:contract:deprecated]
        name = No new imports of deprecated modules
        type = coordination_deprecated
    """

    type_name = "coordination_deprecated"

    modules = fields.ListField(subfield=fields.StringField(), required=False)

    def validate_registry(self, registry: Registry) -> None:
        self.selected = self._selected("modules", list(registry.deprecations))

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        removal = self.remove_ignored(graph)
        violations: Dict[str, List[Link]] = {}
        advice: Dict[str, str] = {}
        for name in self.selected:
            entry = self.loaded.deprecations[name]
            links = deprecated_links(graph, self.loaded, name)
            if not links:
                continue
            violations[name] = links
            use = f"import from {entry.replacement} instead" if entry.replacement else "it has no replacement"
            due = ""
            if entry.removal is not None:
                was = "was " if entry.is_past_removal(datetime.date.today()) else ""
                due = f", removal {was}due {entry.removal.isoformat()}"
            advice[name] = f"{name} is deprecated{due}; {use}:"
        return self.result(removal, violations, advice)
