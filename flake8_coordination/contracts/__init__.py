"""import-linter contract types that read the flake8-coordination registry.

Register them in the ``[importlinter]`` section::

    contract_types =
        coordination_facades: flake8_coordination.contracts.facade.FacadeContract
        coordination_deprecated: flake8_coordination.contracts.deprecated.DeprecatedModulesContract

One module per contract type; the options of each are documented in its class docstring
and in ``docs/contracts.md``.
"""
