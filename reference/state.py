"""In-memory state of the reference registry: repositories, layers, images, uploads."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Image:
    """A pushed manifest (image or index) and the tags pointing at it."""

    digest: str
    manifest: str
    media_type: str
    artifact_media_type: str | None
    size: int
    pushed_at: float
    references: tuple[str, ...] = ()
    tags: dict[str, float] = field(default_factory=dict)


@dataclass
class Upload:
    """A layer upload in progress: the bytes received so far and each part's size."""

    upload_id: str
    data: bytearray = field(default_factory=bytearray)
    parts: list[int] = field(default_factory=list)


@dataclass
class Repository:
    """One repository and everything stored in it."""

    name: str
    created_at: float
    visible_at: float
    catalog: dict[str, Any] | None = None
    policy: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    layers: dict[str, int] = field(default_factory=dict)
    images: dict[str, Image] = field(default_factory=dict)
    uploads: dict[str, Upload] = field(default_factory=dict)

    def find_tag(self, tag: str) -> Image | None:
        """Return the image carrying ``tag``, or None."""
        for image in self.images.values():
            if tag in image.tags:
                return image
        return None


@dataclass
class Store:
    """All state of one reference endpoint, guarded by one re-entrant lock."""

    repositories: dict[str, Repository] = field(default_factory=dict)
    registry_display_name: str | None = None
    #: Pagination tokens kept by the server (the ``opaque-random-tokens`` variant).
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Deleted repositories by name (only the ``state-outlives-repository`` fault keeps them).
    deleted: dict[str, Repository] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def reset(self) -> None:
        """Forget every repository and the registry catalog data."""
        with self.lock:
            self.repositories.clear()
            self.registry_display_name = None
            self.tokens.clear()
            self.deleted.clear()
