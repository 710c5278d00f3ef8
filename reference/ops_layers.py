"""Handlers for layer uploads and BatchCheckLayerAvailability."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from ..specs.validation import decode_base64
from .context import Ctx
from .errors import ApiError
from .manifests import is_digest
from .state import Repository, Upload
from .variants import min_part_size, on

Params = dict[str, Any]

#: Part size the reference suggests to clients (the real service suggests 10 MiB).
PART_SIZE = 10 * 1024 * 1024
#: Part size suggested under the ``part-size-20mib`` variant.
LARGE_PART_SIZE = 20 * 1024 * 1024


def initiate_layer_upload(ctx: Ctx, p: Params) -> Params:
    """InitiateLayerUpload."""
    repo = ctx.repository(p)
    upload_id = str(uuid.uuid4())
    repo.uploads[upload_id] = Upload(upload_id)
    if on(ctx, "other-identifier-formats"):
        upload_id = upload_id.upper()
    part_size = LARGE_PART_SIZE if on(ctx, "part-size-20mib") else PART_SIZE
    return {"uploadId": upload_id, "partSize": part_size}


def _upload(ctx: Ctx, p: Params) -> tuple[Repository, Upload]:
    repo = ctx.repository(p)
    upload = repo.uploads.get(p["uploadId"].lower())
    if upload is None:
        raise ApiError(
            "UploadNotFoundException",
            f"Upload '{p['uploadId']}' does not exist in the repository '{repo.name}'",
        )
    return repo, upload


def upload_layer_part(ctx: Ctx, p: Params) -> Params:
    """UploadLayerPart: parts must be contiguous and their byte range must match the blob."""
    repo, upload = _upload(ctx, p)
    blob = decode_base64(p["layerPartBlob"]) or b""
    first, last = p["partFirstByte"], p["partLastByte"]
    if not ctx.fault("parts-not-contiguous"):
        expected = len(upload.data)
        if not blob or first != expected or last != first + len(blob) - 1:
            raise ApiError(
                "InvalidLayerPartException",
                f"Part {first}-{last} ({len(blob)} bytes) does not follow the {expected} bytes "
                f"received so far",
            )
    limit = ctx.options.max_layer_parts
    if limit is not None and len(upload.parts) >= limit:
        raise ApiError("LimitExceededException", f"An upload may have at most {limit} parts")
    upload.data.extend(blob)
    upload.parts.append(len(blob))
    last_byte = max(len(upload.data) - 1, 0)
    if ctx.fault("last-byte-as-count"):
        last_byte = len(upload.data)
    elif ctx.fault("last-byte-per-part"):
        last_byte = len(blob) - 1
    return {
        "registryId": ctx.options.account_id,
        "repositoryName": repo.name,
        "repositoryType": repo.kind,
        "uploadId": p["uploadId"],
        "lastByteReceived": last_byte,
    }


def complete_layer_upload(ctx: Ctx, p: Params) -> Params:
    """CompleteLayerUpload: check parts and digest, then store the layer."""
    repo, upload = _upload(ctx, p)
    if not upload.data and not ctx.fault("empty-upload-accepted"):
        raise ApiError("EmptyUploadException", f"Upload '{upload.upload_id}' has no parts")
    minimum = min_part_size(ctx.options)
    small = [n for n in upload.parts[:-1] if n < minimum]
    if small:
        raise ApiError(
            "LayerPartTooSmallException",
            f"A part of {small[0]} bytes is below the minimum of {minimum}",
        )
    digest = p["layerDigests"][0]
    actual = "sha256:" + hashlib.sha256(upload.data).hexdigest()
    if not ctx.fault("digest-not-checked") and digest.lower() != actual:
        raise ApiError(
            "InvalidLayerException", f"The layer digest {digest} does not match {actual}"
        )
    digest = digest if ctx.fault("digest-not-checked") else actual
    if digest in repo.layers and not ctx.fault("existing-layer-accepted"):
        raise ApiError("LayerAlreadyExistsException", f"The layer {digest} already exists")
    repo.layers[digest] = len(upload.data)
    del repo.uploads[upload.upload_id]
    out = {
        "registryId": ctx.options.account_id,
        "repositoryName": repo.name,
        "repositoryType": repo.kind,
        "uploadId": p["uploadId"],
        "layerDigest": digest.partition(":")[2]
        if ctx.fault("layer-digest-without-algorithm")
        else digest,
    }
    if ctx.fault("layer-digest-omitted"):
        del out["layerDigest"]
    return out


#: The failure codes the ``layer-failure-codes-swapped`` fault exchanges.
_SWAPPED = {"InvalidLayerDigest": "MissingLayerDigest", "MissingLayerDigest": "InvalidLayerDigest"}


def batch_check_layer_availability(ctx: Ctx, p: Params) -> Params:
    """BatchCheckLayerAvailability (a layer never uploaded is a MissingLayerDigest failure,
    or UNAVAILABLE under the ``missing-layer-unavailable`` variant)."""
    repo = ctx.repository(p)
    layers: list[Params] = []
    failures: list[Params] = []
    for digest in p["layerDigests"]:
        known = digest in repo.layers or ctx.fault("any-layer-available")
        if not is_digest(digest):
            failures.append(_failure(ctx, digest, "InvalidLayerDigest", "not a sha256 digest"))
        elif not known and on(ctx, "missing-layer-unavailable"):
            layers.append({"layerDigest": digest, "layerAvailability": "UNAVAILABLE"})
        elif not known:
            failures.append(_failure(ctx, digest, "MissingLayerDigest", "the layer does not exist"))
        else:
            layer: Params = {"layerDigest": digest, "layerAvailability": "AVAILABLE"}
            if not ctx.fault("layer-size-omitted"):
                layer["layerSize"] = repo.layers.get(digest, 0)
            layers.append(layer)
    return {"layers": layers, "failures": failures}


def _failure(ctx: Ctx, digest: str, code: str, reason: str) -> Params:
    if ctx.fault("layer-failure-codes-swapped"):
        code = _SWAPPED[code]
    return {"layerDigest": digest, "failureCode": code, "failureReason": reason}
