"""Rules about layers and images: uploads (digest verified, parts contiguous), availability,
pushes, tag moves and image deletes, each answer compared with the model.

Every push goes through the shared driver (:mod:`~ecr_public_conformance.strategies.push`),
so layers of one part, as the spec wants for small blobs.
"""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import rule

from ...strategies import semantic_values as semantic
from ...strategies.push import MIN_PART, PushError
from ...strategies.semantic_values import Blob, digest_of, parts_of
from .core import MachineCore, resilient
from .draws import FILLER, IMAGE_TAGS, LAYERS
from .listings import ListingRules
from .state import ImageModel, RepositoryModel, value_at

__all__ = ["ImageRules"]


class ImageRules(ListingRules):
    """Upload layers, push and retag images, delete images."""

    def upload(self, name: str, blob: Blob) -> bool:
        """Push one blob (in one part, as the spec wants for small blobs); True once it exists."""
        repo = self.repo(name)
        if repo is None:
            self.missing(self.call("InitiateLayerUpload", {"repositoryName": name}))
            return False
        try:
            done = self.pusher.upload(name, blob.data)
        except PushError as exc:
            self.mismatch(exc.exchange, None, "success", "upload-step-accepted", repository=name)
            return False
        if done.existed and blob.digest not in repo.layers:
            self.mismatch(
                done.exchanges[-1], None, "success", "new-layer-completes", repository=name
            )
        if not done.existed:
            body = done.exchanges[-1].json if isinstance(done.exchanges[-1].json, dict) else {}
            self.expect_equal(
                done.exchanges[-1],
                "layerDigest",
                blob.digest,
                body.get("layerDigest"),
                "complete-returns-digest",
                name,
            )
        repo.layers.add(blob.digest)
        return True

    @rule(name=MachineCore.repos, blob=semantic.blobs(1, 64))
    @resilient
    def push_layer(self, name: str, blob: Blob) -> None:
        """Initiate, upload and complete one layer."""
        self.upload(name, blob)

    @rule(name=MachineCore.repos, data=st.data())
    @resilient
    def check_layer_availability(self, name: str, data: st.DataObject) -> None:
        """BatchCheckLayerAvailability: uploaded layers are available, unknown ones are not."""
        self.check_layers(name, data)

    def check_layers(self, name: str, data: st.DataObject) -> None:
        """Ask for up to two known layers and one that was never uploaded."""
        repo = self.repo(name)
        known = sorted(repo.layers)[:2] if repo is not None else []
        unknown = digest_of(f"never uploaded {self.nonce}".encode())
        ex = self.call(
            "BatchCheckLayerAvailability",
            {"repositoryName": name, "layerDigests": [*known, unknown]},
        )
        if repo is None:
            self.missing(ex)
            return
        body = self.expect_ok(ex, "check-layers-answers", name)
        layers = {
            entry.get("layerDigest"): entry.get("layerAvailability")
            for entry in body.get("layers") or []
            if isinstance(entry, dict)
        }
        failed = {f.get("layerDigest") for f in body.get("failures") or [] if isinstance(f, dict)}
        for digest in known:
            self.expect_equal(
                ex,
                "layers",
                "AVAILABLE",
                layers.get(digest, "listed as a failure" if digest in failed else "not listed"),
                "uploaded-layer-available",
                name,
            )
        if layers.get(unknown) == "AVAILABLE" or (unknown not in layers and unknown not in failed):
            self.mismatch(
                ex,
                "layers",
                "a failure or UNAVAILABLE for a layer never uploaded",
                "unknown-layer-unavailable",
                layers.get(unknown, "not listed"),
                name,
            )

    @rule(
        name=MachineCore.repos, blob=semantic.blobs(1, 64), other=st.binary(min_size=1, max_size=8)
    )
    @resilient
    def complete_with_wrong_digest(self, name: str, blob: Blob, other: bytes) -> None:
        """CompleteLayerUpload with a digest of other bytes fails with InvalidLayerException."""
        self.wrong_digest(name, blob, other)

    def wrong_digest(self, name: str, blob: Blob, other: bytes) -> None:
        """Upload ``blob`` in one part and complete it with the digest of other bytes."""
        wrong = digest_of(blob.data + other)
        ex = self.call("InitiateLayerUpload", {"repositoryName": name})
        if self.repo(name) is None:
            self.missing(ex)
            return
        upload_id = value_at(self.expect_ok(ex, "initiate-starts", name), "uploadId")
        part = parts_of(blob.data)[0]
        ex = self.call(
            "UploadLayerPart",
            {
                "repositoryName": name,
                "uploadId": upload_id,
                "partFirstByte": 0,
                "partLastByte": part.last_byte,
                "layerPartBlob": part.blob,
            },
        )
        self.expect_ok(ex, "first-part-accepted", name)
        ex = self.call(
            "CompleteLayerUpload",
            {"repositoryName": name, "uploadId": upload_id, "layerDigests": [wrong]},
        )
        self.expect_error(ex, {"InvalidLayerException"}, "layer-digest-verified", name)

    @rule(name=MachineCore.repos, blob=semantic.blobs(3, 64), gap=st.integers(1, 4))
    @resilient
    def upload_part_with_gap(self, name: str, blob: Blob, gap: int) -> None:
        """A part that does not start right after the previous one fails."""
        self.part_gap(name, blob, gap)

    def part_gap(self, name: str, blob: Blob, gap: int) -> None:
        """Send a 5 MiB first part (a valid non-last part), then one that leaves a gap."""
        ex = self.call("InitiateLayerUpload", {"repositoryName": name})
        if self.repo(name) is None:
            self.missing(ex)
            return
        upload_id = value_at(self.expect_ok(ex, "initiate-starts", name), "uploadId")
        data = FILLER + blob.data
        first, second = parts_of(data, [MIN_PART])
        ex = self.call(
            "UploadLayerPart",
            {
                "repositoryName": name,
                "uploadId": upload_id,
                "partFirstByte": 0,
                "partLastByte": first.last_byte,
                "layerPartBlob": first.blob,
            },
        )
        self.expect_ok(ex, "first-part-5mib-accepted", name)
        start = second.first_byte + gap
        ex = self.call(
            "UploadLayerPart",
            {
                "repositoryName": name,
                "uploadId": upload_id,
                "partFirstByte": start,
                "partLastByte": start + len(second.data) - 1,
                "layerPartBlob": second.blob,
            },
        )
        self.expect_error(ex, {"InvalidLayerPartException"}, "layer-parts-contiguous", name)

    @rule(name=MachineCore.repos, layers=LAYERS, oci=st.booleans(), tag=st.none() | IMAGE_TAGS)
    @resilient
    def push_image(self, name: str, layers: list[Blob], oci: bool, tag: str | None) -> None:
        """Full push: upload config and layers, then PutImage (optionally tagged)."""
        self.push(name, layers, oci, tag)

    def push(self, name: str, layers: list[Blob], oci: bool, tag: str | None) -> None:
        """Upload the config and layers of a new image, then put its manifest."""
        self.nonce += 1
        text, config, media_type = semantic.manifest_for(
            layers, oci=oci, nonce=f"{self.prefix}-{self.nonce}"
        )
        for blob in [config, *layers]:
            if not self.upload(name, blob):
                return
        self.put_image(name, text, media_type, tag)

    def put_image(self, name: str, text: str, media_type: str, tag: str | None) -> None:
        """PutImage and update the model (new image, tag moved from its previous holder)."""
        repo = self.repo(name)
        assert repo is not None
        digest = digest_of(text.encode())
        ex = self.pusher.put_image(name, text, media_type, tag)
        existing = repo.images.get(digest)
        if existing is not None and (tag is None or tag in existing.tags):
            self.expect_error(ex, {"ImageAlreadyExistsException"}, "image-exists", name)
            return
        body = self.expect_ok(ex, "put-image-stores", name)
        self.expect_equal(
            ex,
            "image.imageId.imageDigest",
            digest,
            value_at(body, "image", "imageId", "imageDigest"),
            "image-digest-sha256",
            name,
        )
        image = existing or ImageModel(digest, text, media_type)
        repo.images[digest] = image
        if tag is not None:
            holder = repo.holder_of(tag)
            if holder is not None:
                holder.tags.discard(tag)
            image.tags.add(tag)

    def drawn_image(
        self, name: str, data: st.DataObject
    ) -> tuple[RepositoryModel, str, ImageModel] | None:
        """The repository and one of its images, drawn (None: no such repository, or no
        image)."""
        repo = self.repo(name)
        if repo is None or not repo.images:
            return None
        digest = data.draw(st.sampled_from(sorted(repo.images)), label="image")
        return repo, digest, repo.images[digest]

    @rule(name=MachineCore.repos, data=st.data(), tag=IMAGE_TAGS)
    @resilient
    def retag_image(self, name: str, data: st.DataObject, tag: str) -> None:
        """PutImage of an existing manifest with a tag: the tag moves to it."""
        drawn = self.drawn_image(name, data)
        if drawn is None:
            return
        _, _, image = drawn
        self.put_image(name, image.manifest, image.media_type, tag)
        self.check_images(name)

    @rule(name=MachineCore.repos, data=st.data(), by_tag=st.booleans())
    @resilient
    def batch_delete_image(self, name: str, data: st.DataObject, by_tag: bool) -> None:
        """BatchDeleteImage by digest (image gone) or by tag (tag gone; image if last tag)."""
        drawn = self.drawn_image(name, data)
        if drawn is None:
            return
        repo, digest, image = drawn
        tag = sorted(image.tags)[0] if by_tag and image.tags else None
        image_id = {"imageTag": tag} if tag else {"imageDigest": digest}
        ex = self.call("BatchDeleteImage", {"repositoryName": name, "imageIds": [image_id]})
        body = self.expect_ok(ex, "delete-image", name)
        self.expect_equal(
            ex, "failures", [], body.get("failures") or [], "delete-image-no-failure", name
        )
        if tag is not None:
            image.tags.discard(tag)
        if tag is None or not image.tags:
            del repo.images[digest]
