"""The registry the run works in: its id and whether it is verified, asked once per run."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...wire import Exchange
from .once import once_per_run

if TYPE_CHECKING:
    from .env import CheckEnv


@once_per_run("registry")
def described_registry(env: CheckEnv) -> dict[str, Any]:
    """The run's registry as DescribeRegistries' first entry describes it ({} if none)."""
    return described_registry_of(env.send("DescribeRegistries", {}))


def described_registry_of(ex: Exchange) -> dict[str, Any]:
    """The first entry of a DescribeRegistries answer ({} if none, or not an answer)."""
    registries = ex.json.get("registries") if ex.ok and isinstance(ex.json, dict) else None
    first = registries[0] if isinstance(registries, list) and registries else {}
    return first if isinstance(first, dict) else {}


def registry_id(env: CheckEnv) -> str:
    """The id of the registry the run works in (DescribeRegistries' first; "" if none)."""
    return str(described_registry(env).get("registryId") or "")


def registry_verified(env: CheckEnv) -> bool:
    """Whether DescribeRegistries says the registry is verified (only a verified registry
    is documented to keep a display name). Asked once; unknown counts as not verified."""
    return described_registry(env).get("verified") is True
