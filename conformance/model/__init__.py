"""The stateful model of a registry, run against a target and judging its answers.

:func:`registry_machine` binds the Hypothesis state machine (:mod:`.machine`) to a target.
Its rule groups: :mod:`.core` (state, calls, mismatch helpers, clean-up), :mod:`.repositories`
(repositories and tags), :mod:`.images` (layers and images), :mod:`.catalog` (policies and
catalog data) and :mod:`.listings` (listings, invariants, teardown). Every fact a rule asserts
is an entry of ``facts.toml`` (:mod:`.facts`) with the sentence of the document it rests on.
"""

from __future__ import annotations

from .facts import FactsError, ModelFact, load_facts, model_fact
from .machine import RegistryMachine, registry_machine
from .mismatch import ModelMismatch, ModelStopped, OperationUnsupported
from .state import (
    ImageModel,
    RegistryModel,
    RepositoryModel,
    Target,
    model_operations,
    optional_echo,
)

__all__ = [
    "FactsError",
    "ImageModel",
    "ModelFact",
    "ModelMismatch",
    "ModelStopped",
    "OperationUnsupported",
    "RegistryMachine",
    "RegistryModel",
    "RepositoryModel",
    "Target",
    "load_facts",
    "model_fact",
    "model_operations",
    "optional_echo",
    "registry_machine",
]
