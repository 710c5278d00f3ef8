"""The fixtures of the seed edition's scenarios, and the values templates name.

Every fixture request is valid for any conforming implementation, sent through the check
environment (counted, ledgered, under the run's prefix) and through the shared push driver.
What a fixture is, is the per-domain knowledge of this stage; it lives here and in
:mod:`.premium_fixtures`, and nowhere else.
"""

from __future__ import annotations

import base64
import functools
import re
import uuid
from collections.abc import Callable
from typing import Any

from ...strategies.push import PushError
from ...strategies.semantic_values import Blob, digest_of, logo_png, manifest_for, manifest_list_for
from ..harness.registry import SetupFailed
from ..harness.registry_identity import registry_id
from ..harness.resources import setup_step
from ..harness.semantics import policy_text
from .scenario_state import Scenario, numbers

FIRST_TAG, SECOND_TAG = "scenario-1", "scenario-2"
#: The second tag the ``extra_tag`` fixture puts on the first image.
EXTRA_TAG = "scenario-extra"
#: The tag the ``tagged_repository`` fixture gives CreateRepository.
CREATION_TAG = {"Key": "given", "Value": "at-creation"}


def _repository(s: Scenario, **extra: Any) -> None:
    name = s.env.new_name("b")
    body = s.setup("CreateRepository", {"repositoryName": name, **extra})
    arn = (body.get("repository") or {}).get("repositoryArn")
    if not isinstance(arn, str):
        listed = s.env.resources.await_listed([name])
        arn = listed[0].get("repositoryArn") if listed else None
    s.values.update(repository=name, repository_arn=arn or "")
    if isinstance(arn, str) and arn.count(":") >= 5:
        s.values["account"] = arn.split(":")[4]


def push(s: Scenario, key: str, tag: str, seed: str, repository: str = "repository") -> None:
    """Push an image to the repository the value ``repository`` names (its type as
    ``{repository}_type`` says, when a value gives one); its values go under ``key``."""
    name = s.values[repository]
    # 4 KiB of layer: more than any manifest, so a size counted from the manifest shows
    layer = Blob((f"{name}:{seed}:".encode() * 4096)[:4096])
    pusher = s.env.resources.pusher
    kind = s.values.get(f"{repository}_type")
    typed = {"repositoryType": kind} if kind else {}
    pusher.call = lambda operation, params: s.send(operation, {**params, **typed})
    try:
        pushed = pusher.push(name, [layer], tag, nonce=seed)
    except PushError as exc:
        setup_step(exc.step, exc.exchange)
        raise SetupFailed(exc.step, exc.exchange.status, None, "unusable answer") from None
    config = pushed.blobs[0]
    s.values.update(
        {
            f"{key}.digest": pushed.manifest_digest,
            f"{key}.tag": tag,
            f"{key}.manifest": pushed.manifest,
            f"{key}.media_type": pushed.media_type,
            f"{key}.layer": layer.digest,
            f"{key}.layer_size": layer.size,
            f"{key}.config": config,
            f"{key}.manifest_size": len(pushed.manifest.encode()),
        }
    )


def _upload(s: Scenario) -> None:
    body = s.setup("InitiateLayerUpload", {"repositoryName": s.values["repository"]})
    if not isinstance(body.get("uploadId"), str):
        raise SetupFailed("InitiateLayerUpload", 200, None, "the answer had no uploadId")
    s.values.update(upload=body["uploadId"], part_size=body.get("partSize"))


def _upload_part(s: Scenario) -> None:
    _upload(s)
    data = f"part of {s.values['upload']}".encode()
    s.setup(
        "UploadLayerPart",
        {
            "repositoryName": s.values["repository"],
            "uploadId": s.values["upload"],
            "partFirstByte": 0,
            "partLastByte": len(data) - 1,
            "layerPartBlob": b64(data),
        },
    )
    more = b"and the bytes after it"
    s.values.update(
        {
            "part.last_byte": len(data) - 1,
            "part.size": len(data),
            "part.digest": digest_of(data),
            # a second part that leaves a gap of 5 bytes after the first
            "part.gap_first": len(data) + 5,
            "part.gap_last": len(data) + 5 + len(more) - 1,
            "part.next_blob": b64(more),
        }
    )


def _small_parts(s: Scenario) -> None:
    """An upload of two 1 KiB parts: the first is below 5 MiB but not the last."""
    _upload(s)
    first, second = b"a" * 1024, b"b" * 1024
    for start, data in ((0, first), (1024, second)):
        s.setup(
            "UploadLayerPart",
            {
                "repositoryName": s.values["repository"],
                "uploadId": s.values["upload"],
                "partFirstByte": start,
                "partLastByte": start + len(data) - 1,
                "layerPartBlob": b64(data),
            },
        )
    s.values["small.digest"] = digest_of(first + second)


def _layer(s: Scenario) -> None:
    data = f"layer of {s.values['repository']}".encode()
    pusher = s.env.resources.pusher
    pusher.call = s.send
    try:
        pusher.upload(s.values["repository"], data)
    except PushError as exc:
        setup_step(exc.step, exc.exchange)
        raise SetupFailed(exc.step, exc.exchange.status, None, "unusable answer") from None
    s.values.update(
        {
            "layer.digest": digest_of(data),
            "layer.size": len(data),
            "layer.blob": b64(data),
            "layer.last_byte": len(data) - 1,
        }
    )


def _big_layer(s: Scenario) -> None:
    """A layer pushed as docker and crane do: several parts of the advertised size (5-20 MiB)."""
    pusher = s.env.resources.pusher
    pusher.call = s.send
    seed = s.values["repository"].encode()
    try:
        done, data = pusher.upload_realistic(
            s.values["repository"], lambda size: (seed * (size // len(seed) + 1))[:size]
        )
    except PushError as exc:
        setup_step(exc.step, exc.exchange)
        raise SetupFailed(exc.step, exc.exchange.status, None, "unusable answer") from None
    s.values.update({"big.digest": done.digest, "big.size": len(data), "big.parts": done.parts})


def _manifest(s: Scenario) -> None:
    """An image's blobs uploaded and its manifest made, but not put (PutImage's own input)."""
    nonce = uuid.uuid4().hex[:12]
    layer = Blob(f"{s.values['repository']}:{nonce}".encode())
    text, config, media_type = manifest_for([layer], nonce=nonce)
    pusher = s.env.resources.pusher
    pusher.call = s.send
    try:
        for blob in (config, layer):
            pusher.upload(s.values["repository"], blob.data)
    except PushError as exc:
        setup_step(exc.step, exc.exchange)
        raise SetupFailed(exc.step, exc.exchange.status, None, "unusable answer") from None
    s.values.update(
        {
            "manifest.text": text,
            "manifest.media_type": media_type,
            "manifest.digest": digest_of(text.encode()),
        }
    )


def _policy(s: Scenario) -> None:
    text = policy_text(s.values["repository"])
    s.setup("SetRepositoryPolicy", {"repositoryName": s.values["repository"], "policyText": text})
    s.values["policy.text"] = text


def _catalog(s: Scenario) -> None:
    data = {"description": "scenario description", "aboutText": "# About"}
    s.setup(
        "PutRepositoryCatalogData",
        {"repositoryName": s.values["repository"], "catalogData": data},
    )
    s.values.update(
        {"catalog.description": data["description"], "catalog.about": data["aboutText"]}
    )


def _tag(s: Scenario, tags: list[dict[str, str]]) -> None:
    if not s.values.get("repository_arn"):
        raise SetupFailed("TagResource", None, None, "the target gave the repository no ARN")
    s.setup("TagResource", {"resourceArn": s.values["repository_arn"], "tags": tags})


def _tags(s: Scenario) -> None:
    """Two tags on the repository."""
    _tag(s, [{"Key": "scenario", "Value": "yes"}, {"Key": "kept", "Value": "also"}])
    s.values.update(
        {"tag.key": "scenario", "tag.value": "yes", "tag2.key": "kept", "tag2.value": "also"}
    )


def _fifty_tags(s: Scenario) -> None:
    """The repository at its tag limit: 50 tags ("The maximum number of tags that can be
    applied to a repository is 50.")."""
    _tag(s, [{"Key": f"k{i}", "Value": "v"} for i in range(50)])


def _second_repository(s: Scenario) -> None:
    name = s.env.new_name("b")
    s.setup("CreateRepository", {"repositoryName": name})
    s.values["repository2"] = name


def _extra_tag(s: Scenario) -> None:
    """A second tag on the first image: PutImage of its manifest again, with another tag."""
    ex = s.send(
        "PutImage",
        {
            "repositoryName": s.values["repository"],
            "imageManifest": s.values["image.manifest"],
            "imageManifestMediaType": s.values["image.media_type"],
            "imageTag": EXTRA_TAG,
        },
    )
    setup_step("PutImage", ex)
    s.values["image.extra_tag"] = EXTRA_TAG


def _index(s: Scenario) -> None:
    children = [(s.values["image.manifest"], s.values["image.media_type"])]
    if "image2.manifest" in s.values:
        children.append((s.values["image2.manifest"], s.values["image2.media_type"]))
    text, media_type = manifest_list_for(children)
    ex = s.send(
        "PutImage",
        {
            "repositoryName": s.values["repository"],
            "imageManifest": text,
            "imageManifestMediaType": media_type,
            "imageTag": "scenario-index",
        },
    )
    setup_step("PutImage", ex)
    s.values.update({"index.digest": digest_of(text.encode()), "index.tag": "scenario-index"})


def b64(data: bytes) -> str:
    """The base64 text of ``data`` (blobs travel as base64 in AWS JSON)."""
    return base64.b64encode(data).decode("ascii")


#: Fixture name -> what it builds (the seed edition's).
SEED_FIXTURES: dict[str, Callable[[Scenario], None]] = {
    "repository": _repository,
    "tagged_repository": lambda s: _repository(s, tags=[dict(CREATION_TAG)]),
    "image": lambda s: push(s, "image", FIRST_TAG, "one"),
    "image2": lambda s: push(s, "image2", SECOND_TAG, "two"),
    "layer": _layer,
    "big_layer": _big_layer,
    "upload": _upload,
    "upload_part": _upload_part,
    "small_parts": _small_parts,
    "policy": _policy,
    "catalog": _catalog,
    "tags": _tags,
    "fifty_tags": _fifty_tags,
    "index": _index,
    "repository2": _second_repository,
    "extra_tag": _extra_tag,
    "manifest": _manifest,
}


# --------------------------------------------------------------------------- values


def _missing_layers_manifest(s: Scenario) -> str:
    ghost = Blob(f"never uploaded {s.env.prefix}".encode())
    return manifest_for([ghost], nonce="missing-layers")[0]


def _index_of_missing(s: Scenario) -> str:
    ghost = manifest_for([Blob(b"an image never pushed")], nonce="ghost")[0]
    return manifest_list_for([(ghost, "application/vnd.docker.distribution.manifest.v2+json")])[0]


def _largest(*names: str) -> Callable[[Scenario], Any]:
    """The largest of the numbers saved under ``names`` (None when no step saved one)."""

    def build(s: Scenario) -> Any:
        found = numbers([s.values.get(n) for n in names])
        return max(found) if found else None

    return build


def _logo(s: Scenario) -> str:
    return b64(logo_png(2, 2, (12, 34, 56)))


def _invalid_name(s: Scenario) -> str:
    """A repository name one character too long that still carries the run's token: invalid
    for any reading of the specs, and harmless on a target that does not check it."""
    shape = s.env.service.operation("CreateRepository").input.member("repositoryName").shape
    limit = shape.constraint("maxLength")
    assert limit is not None
    return s.env.namespace.stretch(s.env.new_name("bad"), int(limit.value) + 1)


#: A first layer part of the smallest size every implementation takes (5 MiB), as base64.
FIVE_MIB = 5 * 1024 * 1024


@functools.cache
def _five_mib_blob() -> str:
    return b64(bytes(FIVE_MIB))


def _manifest_list(s: Scenario) -> str:
    """A manifest list of the fixtures' two images (carrying its own mediaType), not pushed."""
    children = [
        (s.values[f"{k}.manifest"], s.values[f"{k}.media_type"]) for k in ("image", "image2")
    ]
    text = manifest_list_for(children)[0]
    s.values["manifest_list_digest"] = digest_of(text.encode())
    return text


def _manifest_list_digest(s: Scenario) -> str:
    if "manifest_list" not in s.values:
        s.values["manifest_list"] = _manifest_list(s)
    return digest_of(s.values["manifest_list"].encode())


def _registry_id(s: Scenario) -> str:
    """The id of the registry the run works in (DescribeRegistries' first), asked once."""
    return registry_id(s.env)


def _other_registry(s: Scenario) -> str:
    account = str(s.values.get("account") or "")
    return "999999999999" if account != "999999999999" else "888888888888"


#: Value name -> how to build it (lazily, when a template names it).
SEED_VALUES: dict[str, Callable[[Scenario], Any]] = {
    "missing_repository": lambda s: s.env.new_name("never"),
    "invalid_name": _invalid_name,
    # not an ARN, but still the run's: a target that takes it as a name finds nothing of the user's
    "not_an_arn": lambda s: s.env.new_name("not-an-arn"),
    "missing_digest": lambda s: digest_of(uuid.uuid4().bytes),
    "empty_digest": lambda s: digest_of(b""),
    "missing_upload": lambda s: str(uuid.uuid4()),
    "other_registry": _other_registry,
    "missing_arn": lambda s: re.sub(
        r"repository/.*$", f"repository/{s.env.new_name('never')}", s.values["repository_arn"]
    ),
    "policy_not_json": lambda s: "{ this is not a policy",
    "tags_51": lambda s: [{"Key": f"k{i}", "Value": "v"} for i in range(51)],
    "tags_50": lambda s: [{"Key": f"k{i}", "Value": "v"} for i in range(50)],
    "long_tag_key": lambda s: "k" * 129,
    "reserved_tag_key": lambda s: "aws:reserved",
    "manifest_missing_layers": _missing_layers_manifest,
    "docker_manifest": lambda s: "application/vnd.docker.distribution.manifest.v2+json",
    "docker_manifest_list": lambda s: "application/vnd.docker.distribution.manifest.list.v2+json",
    "index_of_missing_images": _index_of_missing,
    "malformed_digest": lambda s: "not-a-digest",
    "display_name_101": lambda s: "d" * 101,
    "description_1025": lambda s: "d" * 1025,
    "policy_text": lambda s: policy_text(s.env.prefix),
    "image_manifest_digest": lambda s: s.values["image.digest"],
    "new_repository": lambda s: s.env.new_name("b"),
    "display_name": lambda s: "ecr-public-conformance scenario",
    "logo": _logo,
    "children_max_size": _largest("child1_size", "child2_size"),
    "registry_id": _registry_id,
    # one small layer part: ten bytes at the start of an upload
    "chunk.blob": lambda s: b64(b"0123456789"),
    "chunk.last_byte": lambda s: 9,
    "manifest_list": _manifest_list,
    "manifest_list_digest": _manifest_list_digest,
    "five_mib.blob": lambda s: _five_mib_blob(),
    "five_mib.size": lambda s: FIVE_MIB,
    "five_mib.last_byte": lambda s: FIVE_MIB - 1,
    "five_mib.next_last": lambda s: FIVE_MIB + 9,
}
