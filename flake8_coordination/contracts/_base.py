"""What the registry-driven contract types share: the ``registry`` option, grandfathered
imports (``ignore_imports``) and the rendering of forbidden imports."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

from importlinter import Contract, ContractCheck, fields, output
from importlinter.application import contract_utils
from importlinter.domain.contract import InvalidContractOptions

from flake8_coordination.config import ConfigError, load_settings
from flake8_coordination.importgraph import Link
from flake8_coordination.registry import Registry


class RegistryContract(Contract):
    """Base class: options every registry-driven contract type accepts.

    - ``registry``: ``pyproject.toml`` or ``setup.cfg`` holding the registry. Default: the
      nearest one above the current directory holding a flake8-coordination section, else
      the built-in default registry.
    - ``ignore_imports``: grandfathered imports (``importer -> imported``, wildcards as in
      import-linter); an entry that no longer exists fails the contract (see below).
    - ``unmatched_ignore_imports_alerting``: ``error`` (default; keeps the list shrinking),
      ``warn`` or ``none``.
    - ``broken_contract_guidance``: extra text printed after the violations.
    """

    registry = fields.StringField(required=False)
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    unmatched_ignore_imports_alerting = fields.EnumField(
        contract_utils.AlertLevel, default=contract_utils.AlertLevel.ERROR
    )
    broken_contract_guidance = fields.TextField(required=False)

    def validate(self) -> None:
        path = Path(self.registry) if self.registry else None  # type: ignore[arg-type]
        try:
            self.loaded: Registry = load_settings(path, Path.cwd()).registry
        except ConfigError as exc:
            raise InvalidContractOptions({"registry": str(exc)}) from None
        self.validate_registry(self.loaded)

    def validate_registry(self, registry: Registry) -> None:
        """Hook: check options against the loaded registry."""

    def _selected(self, option: str, available: List[str]) -> List[str]:
        chosen: Optional[List[str]] = getattr(self, option)
        if not chosen:
            return sorted(available)
        unknown = [name for name in chosen if name not in available]
        if unknown:
            raise InvalidContractOptions({option: f"not in the registry ({self.loaded.source}): {', '.join(unknown)}"})
        return list(chosen)

    def remove_ignored(self, graph: Any) -> Any:
        return contract_utils.remove_ignored_imports_and_report(
            graph=graph,
            ignore_imports=self.ignore_imports,  # type: ignore[arg-type]
            unmatched_alerting=self.unmatched_ignore_imports_alerting,  # type: ignore[arg-type]
        )

    def result(self, removal: Any, violations: Dict[str, List[Link]], advice: Dict[str, str]) -> ContractCheck:
        return ContractCheck(
            kept=not violations,
            warnings=list(removal.warnings),
            ignored_import_count=removal.ignored_import_count,
            metadata={"violations": violations, "advice": advice},
        )

    def render_broken_contract(self, check: ContractCheck) -> None:
        violations: Dict[str, List[Link]] = check.metadata["violations"]
        advice: Dict[str, str] = check.metadata["advice"]
        for key in sorted(violations):
            output.print_error(advice[key], bold=True)
            output.new_line()
            for link in violations[key]:
                lines = ", ".join(map(str, link.lines))
                output.print_error(f"- {link.importer} -> {link.imported} (l.{lines})", bold=False)
            output.new_line()
        contract_utils.render_broken_contract_guidance(self.broken_contract_guidance)  # type: ignore[arg-type]
