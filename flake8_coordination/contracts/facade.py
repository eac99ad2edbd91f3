"""Facade contract: only a facade and its own subsystem import the modules it fronts."""
from __future__ import annotations

from typing import Dict, List

from grimp import ImportGraph
from importlinter import ContractCheck, fields

from flake8_coordination.contracts._base import RegistryContract
from flake8_coordination.importgraph import Link, facade_links
from flake8_coordination.registry import Registry


class FacadeContract(RegistryContract):
    """Only a facade and the members of its subsystem may import the modules it fronts.

    For every facade in the registry, a direct import of one of its fronted modules (or a
    submodule of one) is a violation unless the importer is the facade, one of its
    aliases, a fronted module, or matches one of its ``members`` -- the same rule as
    ``COORD004``. The output names the facade to import instead.

    Configuration options:

    - ``facades``: the facades to check (default: every facade in the registry).
    - ``registry``, ``ignore_imports``, ``unmatched_ignore_imports_alerting``,
      ``broken_contract_guidance``: see
      :class:`flake8_coordination.contracts._base.RegistryContract`.

    Example::

        [importlinter:contract:facades]
        name = Import the facades, not what they front
        type = coordination_facades
    """

    type_name = "coordination_facades"

    facades = fields.ListField(subfield=fields.StringField(), required=False)

    def validate_registry(self, registry: Registry) -> None:
        self.selected = self._selected("facades", list(registry.facades))

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        removal = self.remove_ignored(graph)
        violations: Dict[str, List[Link]] = {}
        advice: Dict[str, str] = {}
        for name in self.selected:
            facade = self.loaded.facades[name]
            links = facade_links(graph, facade, self.loaded)
            if links:
                violations[name] = links
                fronted = ", ".join(facade.fronts)
                advice[name] = f"Import from {name} instead (it fronts {fronted}):"
        return self.result(removal, violations, advice)
