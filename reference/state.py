"""In-memory state of the reference registry: repositories (free and premium), layers, images,
uploads, scans, associations."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

FREE, PREMIUM = "FREE", "PREMIUM"
DRAFT, AVAILABLE, HIDDEN = "DRAFT", "AVAILABLE", "HIDDEN"
ACTIVE, DEPRECATED = "ACTIVE", "DEPRECATED"


@dataclass
class Scan:
    """The automatic scan of an image pushed to a premium repository: it starts when
    ``started_at`` comes, is ``PENDING`` until ``done_at``, then ends as ``outcome``."""

    started_at: float
    done_at: float
    outcome: str


@dataclass
class Image:
    """A pushed manifest (image or index) and the tags pointing at it.

    ``subject`` is the digest its manifest names as subject; ``status`` is ``ACTIVE`` or
    ``DEPRECATED`` (premium repositories), ``deletion_at`` when a deprecated image goes.
    """

    digest: str
    manifest: str
    media_type: str
    artifact_media_type: str | None
    size: int
    pushed_at: float
    references: tuple[str, ...] = ()
    tags: dict[str, float] = field(default_factory=dict)
    subject: str | None = None
    status: str = ACTIVE
    deletion_at: float | None = None
    scan: Scan | None = None


@dataclass
class Upload:
    """A layer upload in progress: the bytes received so far and each part's size."""

    upload_id: str
    data: bytearray = field(default_factory=bytearray)
    parts: list[int] = field(default_factory=list)


@dataclass
class Repository:
    """One repository and everything stored in it.

    ``associated`` names the repository it is associated with, and that repository's type.
    """

    name: str
    created_at: float
    visible_at: float
    catalog: dict[str, Any] | None = None
    policy: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    layers: dict[str, int] = field(default_factory=dict)
    images: dict[str, Image] = field(default_factory=dict)
    uploads: dict[str, Upload] = field(default_factory=dict)
    associated: tuple[str, str] | None = None
    kind: str = FREE

    def find_tag(self, tag: str) -> Image | None:
        """Return the image carrying ``tag``, or None."""
        for image in self.images.values():
            if tag in image.tags:
                return image
        return None


@dataclass
class PremiumRepository(Repository):
    """A premium repository: its Marketplace products and its state as well."""

    products: list[str] = field(default_factory=list)
    state: str = DRAFT
    kind: str = PREMIUM


@dataclass
class Store:
    """All state of one reference endpoint, guarded by one re-entrant lock."""

    repositories: dict[str, Repository] = field(default_factory=dict)
    premium: dict[str, PremiumRepository] = field(default_factory=dict)
    registry_display_name: str | None = None
    #: The registry's description and logo URL (PutRegistryCatalogData, later editions).
    registry_extras: dict[str, str] = field(default_factory=dict)
    #: Pagination tokens kept by the server (the ``opaque-random-tokens`` variant).
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Deleted repositories by name (only the ``state-outlives-repository`` fault keeps them).
    deleted: dict[str, Repository] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def namespace(self, kind: str) -> dict[str, Any]:
        """The repositories of one type (``FREE`` or ``PREMIUM``), by name."""
        return self.premium if kind == PREMIUM else self.repositories

    def reset(self) -> None:
        """Forget every repository and the registry catalog data."""
        with self.lock:
            self.repositories.clear()
            self.premium.clear()
            self.registry_display_name = None
            self.registry_extras.clear()
            self.tokens.clear()
            self.deleted.clear()
