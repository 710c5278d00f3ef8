"""The one interpreter of the behaviours catalogue: fixtures, templates, steps, predicates.

A scenario is data (``behaviours.toml``): named fixtures to set up, then steps whose requests
are templates over the fixtures' values (``{repository}``, ``{image.digest}``...). This module
knows how to build each fixture on any target - every fixture request is valid for any
conforming implementation, sent through the check environment (counted, ledgered, under the
run's prefix) and through the shared push driver - and how to evaluate a step's checks. What a
fixture is, is the per-domain knowledge of this stage; it lives here, in :data:`FIXTURES` and
:data:`VALUES`, and nowhere else.
"""

from __future__ import annotations

import functools
import json
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from ..specs import Shape
from ..specs.validation import json_kind, json_type_ok, wire_format_root
from ..strategies.push import PushError
from ..strategies.semantic import Blob, digest_of, logo_png, manifest_for, manifest_list_for
from ..wire import Exchange
from .behaviours import Assertion, Behaviour, Step
from .env import CheckEnv
from .registry import SetupFailed
from .semantics import policy_text, registry_write

#: Tag values the fixtures give their images.
FIRST_TAG, SECOND_TAG = "scenario-1", "scenario-2"
#: The second tag the ``extra_tag`` fixture puts on the first image.
EXTRA_TAG = "scenario-extra"
#: The tag the ``tagged_repository`` fixture gives CreateRepository.
CREATION_TAG = {"Key": "given", "Value": "at-creation"}


@dataclass
class Scenario:
    """One run of a behaviour: the values fixtures and saved answers bound, and the exchanges."""

    env: CheckEnv
    behaviour: Behaviour
    values: dict[str, Any] = field(default_factory=dict)
    exchanges: list[Exchange] = field(default_factory=list)
    #: Optional members found absent so far (see ScenarioRun.absences).
    absences: list[Problem] = field(default_factory=list)

    def send(self, operation: str, params: Any = None, **kw: Any) -> Exchange:
        """Send through the environment and keep the exchange (registry data is remembered
        first, to be restored)."""
        if registry_write(self.env.service.operation(operation)):
            self.env.remember_registry()
        ex = self.env.send(operation, params, **kw)
        self.exchanges.append(ex)
        return ex

    def setup(self, step: str, params: dict[str, Any]) -> dict[str, Any]:
        """Send a fixture request; ``SetupFailed`` unless the target accepts it."""
        return self.env.setup_step(step, self.send(step, params))


@dataclass(frozen=True)
class Problem:
    """Where a scenario's answer broke what the catalogue expects.

    ``converges`` is False for an answer no later read can mend (a value of the wrong JSON
    type: a string where a timestamp belongs), so a read that settles stops at once; ``root``
    names the fact several such problems share (one wire-format defect seen on many members).
    """

    step: int
    exchange: Exchange
    expected: str
    actual: str
    message: str
    converges: bool = True
    root: str = ""


@dataclass
class ScenarioRun:
    """What running one behaviour gave: its exchanges, the first problem, a setup failure.

    ``absences`` are the members a step read that were not there and that the model leaves
    optional (the document does not say they are returned): judged at SHOULD, apart.
    """

    behaviour: Behaviour
    exchanges: list[Exchange]
    problem: Problem | None = None
    setup_failure: SetupFailed | None = None
    #: Why the behaviour does not apply on this target (a freedom it took), or "".
    not_applicable: str = ""
    absences: list[Problem] = field(default_factory=list)

    @property
    def final(self) -> Exchange | None:
        """The answer to the last step (the provoking request of an error scenario)."""
        return self.exchanges[-1] if self.exchanges else None


# --------------------------------------------------------------------------- fixtures


def _repository(s: Scenario, **extra: Any) -> None:
    name = s.env.new_name("b")
    body = s.setup("CreateRepository", {"repositoryName": name, **extra})
    arn = (body.get("repository") or {}).get("repositoryArn")
    if not isinstance(arn, str):
        listed = s.env.await_listed([name])
        arn = listed[0].get("repositoryArn") if listed else None
    s.values.update(repository=name, repository_arn=arn or "")
    if isinstance(arn, str) and arn.count(":") >= 5:
        s.values["account"] = arn.split(":")[4]


def _push(s: Scenario, key: str, tag: str, seed: str) -> None:
    # 4 KiB of layer: more than any manifest, so a size counted from the manifest shows
    layer = Blob((f"{s.values['repository']}:{seed}:".encode() * 4096)[:4096])
    pusher = s.env.pusher
    pusher.call = s.send
    try:
        pushed = pusher.push(s.values["repository"], [layer], tag, nonce=seed)
    except PushError as exc:
        s.env.setup_step(exc.step, exc.exchange)
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
            "layerPartBlob": _b64(data),
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
            "part.next_blob": _b64(more),
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
                "layerPartBlob": _b64(data),
            },
        )
    s.values["small.digest"] = digest_of(first + second)


def _layer(s: Scenario) -> None:
    data = f"layer of {s.values['repository']}".encode()
    pusher = s.env.pusher
    pusher.call = s.send
    try:
        pusher.upload(s.values["repository"], data)
    except PushError as exc:
        s.env.setup_step(exc.step, exc.exchange)
        raise SetupFailed(exc.step, exc.exchange.status, None, "unusable answer") from None
    s.values.update(
        {
            "layer.digest": digest_of(data),
            "layer.size": len(data),
            "layer.blob": _b64(data),
            "layer.last_byte": len(data) - 1,
        }
    )


def _big_layer(s: Scenario) -> None:
    """A layer pushed as docker and crane do: several parts of the advertised size (5-20 MiB)."""
    pusher = s.env.pusher
    pusher.call = s.send
    seed = s.values["repository"].encode()
    try:
        done, data = pusher.upload_realistic(
            s.values["repository"], lambda size: (seed * (size // len(seed) + 1))[:size]
        )
    except PushError as exc:
        s.env.setup_step(exc.step, exc.exchange)
        raise SetupFailed(exc.step, exc.exchange.status, None, "unusable answer") from None
    s.values.update({"big.digest": done.digest, "big.size": len(data), "big.parts": done.parts})


def _manifest(s: Scenario) -> None:
    """An image's blobs uploaded and its manifest made, but not put (PutImage's own input)."""
    nonce = uuid.uuid4().hex[:12]
    layer = Blob(f"{s.values['repository']}:{nonce}".encode())
    text, config, media_type = manifest_for([layer], nonce=nonce)
    pusher = s.env.pusher
    pusher.call = s.send
    try:
        for blob in (config, layer):
            pusher.upload(s.values["repository"], blob.data)
    except PushError as exc:
        s.env.setup_step(exc.step, exc.exchange)
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
    s.env.setup_step("PutImage", ex)
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
    s.env.setup_step("PutImage", ex)
    s.values.update({"index.digest": digest_of(text.encode()), "index.tag": "scenario-index"})


def _b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode("ascii")


#: Fixture name -> what it builds. Order in a behaviour's ``setup`` is the order they run.
FIXTURES: dict[str, Callable[[Scenario], None]] = {
    "repository": _repository,
    "tagged_repository": lambda s: _repository(s, tags=[dict(CREATION_TAG)]),
    "image": lambda s: _push(s, "image", FIRST_TAG, "one"),
    "image2": lambda s: _push(s, "image2", SECOND_TAG, "two"),
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
        numbers = _numbers([s.values.get(n) for n in names])
        return max(numbers) if numbers else None

    return build


def _logo(s: Scenario) -> str:
    return _b64(logo_png(2, 2, (12, 34, 56)))


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
    return _b64(bytes(FIVE_MIB))


def _manifest_list(s: Scenario) -> str:
    """A manifest list of the fixtures' two images (carrying its own mediaType), not pushed."""
    children = [
        (s.values[f"{k}.manifest"], s.values[f"{k}.media_type"]) for k in ("image", "image2")
    ]
    text = manifest_list_for(children)[0]
    s.values["manifest_list_digest"] = digest_of(text.encode())
    return text


def _registry_id(s: Scenario) -> str:
    """The id of the registry the run works in (DescribeRegistries' first), asked once."""
    return s.env.registry_id()


def _other_registry(s: Scenario) -> str:
    account = str(s.values.get("account") or "")
    return "999999999999" if account != "999999999999" else "888888888888"


#: Value name -> how to build it (lazily, when a template names it).
VALUES: dict[str, Callable[[Scenario], Any]] = {
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
    "chunk.blob": lambda s: _b64(b"0123456789"),
    "chunk.last_byte": lambda s: 9,
    "manifest_list": _manifest_list,
    "manifest_list_digest": lambda s: digest_of(value(s, "manifest_list").encode()),
    "five_mib.blob": lambda s: _five_mib_blob(),
    "five_mib.size": lambda s: FIVE_MIB,
    "five_mib.last_byte": lambda s: FIVE_MIB - 1,
    "five_mib.next_last": lambda s: FIVE_MIB + 9,
}

_WHOLE = re.compile(r"^\{([A-Za-z0-9_.]+)\}$")
_PART = re.compile(r"\{([A-Za-z0-9_.]+)\}")


def value(s: Scenario, name: str) -> Any:
    """The value a template names: a fixture's or a saved answer's, else a built one."""
    if name not in s.values:
        build = VALUES.get(name)
        if build is None:
            raise KeyError(f"{s.behaviour.id}: nothing provides {{{name}}}")
        s.values[name] = build(s)
    return s.values[name]


def render(s: Scenario, template: Any) -> Any:
    """Fill a template: ``"{x}"`` becomes x itself (any type); ``"a-{x}"`` a string."""
    if isinstance(template, str):
        whole = _WHOLE.match(template)
        if whole:
            return value(s, whole.group(1))
        return _PART.sub(lambda m: str(value(s, m.group(1))), template)
    if isinstance(template, list):
        return [render(s, t) for t in template]
    if isinstance(template, dict):
        return {k: render(s, v) for k, v in template.items()}
    return template


# --------------------------------------------------------------------------- paths and predicates


_STEP = re.compile(r"^(?P<name>[A-Za-z0-9_]+)(?:\[(?P<sel>[^\]]*)\])?$")


def found_at(body: Any, path: str, s: Scenario | None = None) -> list[Any]:
    """The values at ``path``: ``imageDetails[].imageTags[]`` takes every item of every list,
    ``layers[layerDigest={layer.digest}].layerAvailability`` only the items whose member has
    that value (a template)."""
    current = [body]
    for part in _split(path):
        m = _STEP.match(part)
        if m is None:
            raise ValueError(f"bad path step {part!r} in {path!r}")
        name, sel = m.group("name"), m.group("sel")
        nxt = [
            item[name] for item in current if isinstance(item, dict) and item.get(name) is not None
        ]
        if sel is not None:
            items = [x for lst in nxt if isinstance(lst, list) for x in lst]
            if sel:
                key, _, raw = sel.partition("=")
                want = render(s, raw) if s is not None else raw
                items = [x for x in items if isinstance(x, dict) and x.get(key) == want]
            nxt = items
        current = nxt
    return current


def _split(path: str) -> list[str]:
    """Split a path on the dots outside ``[...]`` selectors (templates hold dots)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(path):
        depth += ch == "["
        depth -= ch == "]"
        if ch == "." and depth == 0:
            parts.append(path[start:i])
            start = i + 1
    return [*parts, path[start:]]


def _numbers(values: list[Any]) -> list[float]:
    return [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]


def holds(a: Assertion, values: list[Any], want: Any, sent_at: float) -> bool:
    """Whether the values at the assertion's path satisfy it."""
    p = a.predicate
    if p == "equals":
        return len(values) == 1 and values[0] == want
    if p == "all_equal":
        return bool(values) and all(v == want for v in values)
    if p == "only":  # nothing at the path is also fine (the member is reported another way)
        return all(v == want for v in values)
    if p == "contains":
        return want in values
    if p == "absent":
        return want not in values
    if p == "count":
        return len(values) == want
    if p == "present":
        return bool(values) == bool(want)
    if p == "missing":
        return (not values) == bool(want)
    numbers = _numbers(values)
    if p == "at_least":
        return bool(numbers) and len(numbers) == len(values) and min(numbers) >= want
    if p == "at_most":
        return bool(numbers) and len(numbers) == len(values) and max(numbers) <= want
    if p == "json_equals":
        return len(values) == 1 and _json(values[0]) == _json(want)
    if p == "base64_has":
        return len(values) == 1 and want in _decoded(values[0])
    if p == "seconds_from_now":
        low, high = want
        ok = [low <= v - sent_at <= high for v in numbers]
        return bool(numbers) and len(numbers) == len(values) and all(ok)
    raise ValueError(f"unknown predicate {p!r}")


def _json(text: Any) -> Any:
    try:
        return json.loads(text) if isinstance(text, str) else text
    except ValueError:
        return text


def _decoded(text: Any) -> str:
    import base64
    import binascii

    try:
        return base64.b64decode(str(text), validate=True).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return ""


def _answer(ex: Exchange) -> str:
    if ex.ok:
        return f"HTTP {ex.status} (success)"
    return f"HTTP {ex.status} {ex.error_code or 'without an error type'}"


# --------------------------------------------------------------------------- conditions


def _verified_registry(env: CheckEnv) -> str:
    if env.registry_verified():
        return ""
    return (
        "the registry is not verified, and the document promises a display name and a "
        "repository logo to verified accounts only"
    )


#: Condition name -> why a behaviour does not apply ("" when it does).
CONDITIONS: dict[str, Callable[[CheckEnv], str]] = {"verified_registry": _verified_registry}


# --------------------------------------------------------------------------- running


def _judge_step(
    s: Scenario, i: int, step: Step, ex: Exchange, sent_at: float
) -> tuple[Problem | None, list[Problem]]:
    """The step's first problem, and the optional members it found absent (judged apart)."""
    if step.expect:
        if ex.ok or ex.error_code not in step.expect:
            want = " or ".join(step.expect)
            problem = Problem(
                i, ex, want, _answer(ex), f"step {i + 1} ({step.call}) expected {want}"
            )
            return problem, []
        return None, []
    if not ex.ok:
        return Problem(i, ex, "success", _answer(ex), f"step {i + 1} ({step.call}) was refused"), []
    body = ex.json if isinstance(ex.json, dict) else {}
    output = s.env.service.operation(step.call).output
    absences: list[Problem] = []
    for a in step.checks:
        want = render(s, a.value)
        found = found_at(body, a.path, s)
        if holds(a, found, want, sent_at):
            continue
        problem = _mistyped(i, step, ex, a, found, output) or _described(
            i, step, ex, a, want, found
        )
        absent = absent_member(s, output, body, a.path)
        if problem.converges and absent is not None and not s.behaviour.says_returned(absent):
            absences.append(replace(problem, message=problem.message + _optional_note(absent)))
            continue
        return problem, absences
    return None, absences


def _described(
    i: int, step: Step, ex: Exchange, a: Assertion, want: Any, found: list[Any]
) -> Problem:
    """A problem with a value: what the assertion wanted and what was there."""
    shown = found[0] if len(found) == 1 else found
    text = json.dumps(shown, default=str)[:120]
    wanted = f"{a.predicate.replace('_', ' ')} {json.dumps(want, default=str)[:80]}"
    return Problem(
        i,
        ex,
        f"{a.path} {wanted}",
        f"{a.path} = {text}",
        f"step {i + 1} ({step.call}): {a.path} should be {wanted}, is {text}",
    )


def _mistyped(
    i: int, step: Step, ex: Exchange, a: Assertion, found: list[Any], output: Shape
) -> Problem | None:
    """A problem of format, not of value: a value of the wrong JSON type for its member."""
    member = output.member_at(_names(a.path))
    if member is None or not found:
        return None
    bad = [v for v in found if not json_type_ok(member.shape.kind, v)]
    if not bad:
        return None
    kind = member.shape.kind
    got = f"{json.dumps(bad[0], default=str)[:60]} (a {json_kind(bad[0])})"
    return Problem(
        i,
        ex,
        f"{a.path} as {kind} values",
        f"{a.path} = {got}",
        f"step {i + 1} ({step.call}): {a.path} is {got}, not a {kind} value",
        converges=False,
        root=wire_format_root(kind, bad[0]),
    )


def _optional_note(member: str) -> str:
    return (
        f" (the model leaves {member} optional and the document does not say it is returned "
        "here, so its absence is judged at SHOULD)"
    )


def _names(path: str) -> list[str]:
    """The member names of a path, selectors dropped: ``a[].b[k=v].c`` -> a, b, c."""
    out = []
    for part in _split(path):
        m = _STEP.match(part)
        if m is not None:
            out.append(m.group("name"))
    return out


def absent_member(s: Scenario, output: Shape, body: Any, path: str) -> str | None:
    """The first member on ``path`` absent from an answer whose parent is there, when the model
    leaves it optional: its dotted name, else None (present, required, or no parent).

    An empty list counts as absent (the empty-lists freedom); a selector that matches no item
    of a list that has items is a missing item, not an absent member.
    """
    steps = _split(path)
    for n in range(1, len(steps) + 1):
        if found_at(body, ".".join(steps[:n]), s):
            continue
        if n > 1 and not found_at(body, ".".join(steps[: n - 1]), s):
            return None
        m = _STEP.match(steps[n - 1])
        if m is not None and m.group("sel"):
            listed = found_at(body, ".".join([*steps[: n - 1], m.group("name") + "[]"]), s)
            if listed:
                return None
        names = _names(".".join(steps[:n]))
        member = output.member_at(names)
        return ".".join(names) if member is not None and not member.required else None
    return None


def _send_step(s: Scenario, step: Step) -> tuple[Exchange, float]:
    sent_at = time.time()
    if step.body is not None:
        return s.send(step.call, body=str(render(s, step.body)).encode()), sent_at
    return s.send(step.call, render(s, step.request)), sent_at


def run_step(s: Scenario, i: int, step: Step, judge: bool) -> Problem | None:
    """Send one step (again within the consistency window when it settles) and judge it.

    A read that settles is sent again while its answer is not what the write should show,
    unless the answer cannot converge (a value of the wrong type): that fails at once.
    """
    patience = s.env.patience
    wait = patience.wait_s(step.call) if step.settle else 0.0
    start = time.monotonic()
    absences: list[Problem] = []
    while True:
        ex, sent_at = _send_step(s, step)
        problem, absences = _judge_step(s, i, step, ex, sent_at) if judge else (None, [])
        pending = problem is not None or bool(absences)
        final = problem is not None and not problem.converges
        if not pending or final or time.monotonic() >= start + wait:
            break
        time.sleep(0.1)
    if step.settle and judge:
        if problem is None and not absences:
            patience.showed(time.monotonic() - start)
        elif problem is not None and problem.converges:
            note = patience.cut_note(step.call, wait)
            patience.missed_write(step.call, wait)
            problem = replace(problem, message=problem.message + note)
    s.absences += absences
    if problem is None:
        body = ex.json if isinstance(ex.json, dict) else {}
        for name, path in step.save:
            got = found_at(body, path, s)
            s.values[name] = got[0] if got else None
    return problem


def run_behaviour(env: CheckEnv, behaviour: Behaviour) -> ScenarioRun:
    """Set up and run one behaviour; the error scenario's last step is judged by the checks."""
    s = Scenario(env, behaviour)
    for condition in behaviour.when:
        reason = CONDITIONS[condition](env)
        if reason:
            return ScenarioRun(behaviour, [], not_applicable=reason)
    try:
        for fixture in behaviour.setup:
            FIXTURES[fixture](s)
    except SetupFailed as exc:
        return ScenarioRun(behaviour, s.exchanges, setup_failure=exc)
    for act in behaviour.acts:  # the behaviour itself, built like a fixture
        try:
            FIXTURES[act](s)
        except SetupFailed as exc:
            ex = s.exchanges[-1]
            answer = f"{exc.step}: " + _answer(ex)
            message = f"{act} failed at {answer}"
            return ScenarioRun(
                behaviour, s.exchanges, problem=Problem(-1, ex, "success", answer, message)
            )
    steps = behaviour.steps
    last = len(steps) - 1
    for i, step in enumerate(steps):
        provoking = behaviour.kind == "error" and i == last
        problem = run_step(s, i, step, judge=not provoking)
        if problem is not None:
            if behaviour.kind == "error":  # a step before the provoking one: lost setup
                ex = problem.exchange
                failed = SetupFailed(step.call, ex.status, ex.error_code, problem.message)
                return ScenarioRun(behaviour, s.exchanges, setup_failure=failed)
            return ScenarioRun(behaviour, s.exchanges, problem=problem, absences=s.absences)
    return ScenarioRun(behaviour, s.exchanges, absences=s.absences)


def scenario_run(env: CheckEnv, behaviour: Behaviour) -> ScenarioRun:
    """Run a behaviour once per environment (the checks that judge it share the run)."""
    key = ("behaviour", behaviour.id)
    if key not in env.cache:
        env.cache[key] = run_behaviour(env, behaviour)
    run: ScenarioRun = env.cache[key]
    return run
