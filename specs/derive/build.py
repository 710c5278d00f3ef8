"""Merge the document and the service model into spec files, recording drift and provenance.

Which side each fact follows when the two disagree (also written at the top of DRIFT.md):

* operations, their names, summaries and member sets: the **document** (the derivation's input);
  a member only the model has is added, marked ``service-model``, so that a valid request may use
  it and a response carrying it validates;
* wire types: the **service model** where the JSON types differ (it is what SDKs serialise); the
  model also refines ``integer`` into ``long`` and tells blob sizes apart;
* required members: the **document's** ``[REQUIRED]`` markers for top-level input members (the
  model is the source for nested members and for outputs, which the document does not mark);
* enums: the **union** of both, so that no conforming value is refused;
* constraints (lengths, patterns, list sizes, ranges): the **service model** only; the
  document's syntax blocks carry none;
* errors of an operation: the **union** of both lists, each marked with its sources, so that an
  endpoint answering with a code either source documents is never failed for it;
* paginators: inferred from the document's ``paginate()`` syntax (the members it replaces with
  ``PaginationConfig``), compared with the model's paginators-1.json;
* members that cannot be used together: the **document** only (its prose, e.g. "This option
  cannot be used when you specify repositories with ``repositoryNames``", or later "If you
  specify repository names, you can't use ``maxResults`` or ``nextToken``"); the model has no
  such fact. A rule naming a member the operation does not have is ignored and listed as drift.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .document import DocOperation, DocService
from .overlays import PROTOCOL_ERRORS, operation_error_class
from .service_model import ServiceModel
from .syntax import TypeNode

JSON_TYPES = {
    "string": "string",
    "blob": "string",
    "integer": "integer",
    "long": "integer",
    "float": "number",
    "double": "number",
    "timestamp": "number",
    "boolean": "boolean",
    "structure": "object",
    "list": "array",
    "map": "object",
}
_LENGTH_KEYS = {
    "string": ("minLength", "maxLength"),
    "list": ("minItems", "maxItems"),
    "blob": ("x-minBytes", "x-maxBytes"),
    "integer": ("minimum", "maximum"),
    "long": ("minimum", "maximum"),
}
OUTPUT = "<output>"


@dataclass
class Drift:
    """One disagreement between the document and the service model."""

    kind: str
    operation: str
    member: str
    document: Any
    service_model: Any
    follows: str

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON form written to drift.json."""
        return {
            "kind": self.kind,
            "operation": self.operation,
            "member": self.member,
            "document": self.document,
            "service_model": self.service_model,
            "follows": self.follows,
        }


@dataclass
class _Ctx:
    model: ServiceModel
    op: DocOperation
    direction: str  # "input" | "output"
    drift: list[Drift] = field(default_factory=list)

    def record(self, kind: str, path: str, doc: Any, model: Any, follows: str) -> None:
        where = f"{self.direction}.{path}" if path else self.direction
        self.drift.append(Drift(kind, self.op.name, where, doc, model, follows))


def _plain(html: str) -> str:
    text = re.sub(r"<[^>]+>", "", html or "")
    return re.sub(r"\s+", " ", text).strip()


def _prov(doc: bool, model: bool) -> str:
    return "both" if doc and model else ("document" if doc else "service-model")


def _constraints(schema: dict[str, Any], prov: dict[str, str], shape: dict[str, Any]) -> None:
    kind = shape["type"]
    keys = _LENGTH_KEYS.get(kind)
    if keys:
        for bound, key in zip(("min", "max"), keys, strict=True):
            if bound in shape:
                schema[key] = shape[bound]
                prov[key] = "service-model"
    if "pattern" in shape:
        schema["pattern"] = shape["pattern"]
        prov["pattern"] = "service-model"


def _leaf(node: TypeNode | None, shape: dict[str, Any] | None, ctx: _Ctx, path: str) -> dict:
    doc_kind = node.kind if node else None
    model_kind = shape["type"] if shape else None
    kind = model_kind or doc_kind or "string"
    if doc_kind and model_kind and JSON_TYPES[doc_kind] != JSON_TYPES[model_kind]:
        ctx.record("type", path, doc_kind, model_kind, "service-model")
    schema: dict[str, Any] = {"type": JSON_TYPES[kind], "x-type": kind}
    prov = {"type": _prov(doc_kind is not None, model_kind is not None)}
    if kind == "blob":
        schema["contentEncoding"] = "base64"
    doc_enum = list(node.enum) if node and node.enum else None
    model_enum = list(shape["enum"]) if shape and "enum" in shape else None
    if doc_enum or model_enum:
        merged = list(doc_enum or [])
        merged += [v for v in model_enum or [] if v not in merged]
        if doc_enum and model_enum and set(doc_enum) != set(model_enum):
            ctx.record("enum", path, doc_enum, model_enum, "union")
        elif bool(doc_enum) != bool(model_enum):
            ctx.record("enum", path, doc_enum, model_enum, "union")
        schema["enum"] = merged
        prov["enum"] = _prov(bool(doc_enum), bool(model_enum))
    if shape:
        _constraints(schema, prov, shape)
    return {"schema": schema, "prov": prov}


def node_schema(
    node: TypeNode | None,
    shape_name: str | None,
    ctx: _Ctx,
    path: tuple[str, ...],
    describe: bool = True,
) -> dict[str, Any]:
    """Return the wire-form JSON Schema for one member (document node + model shape)."""
    shape = ctx.model.shape(shape_name) if shape_name else None
    dotted = ".".join(path)
    kind = shape["type"] if shape else (node.kind if node else "string")
    if kind == "structure" or (node and node.kind == "structure" and not shape):
        schema = _structure(node, shape, ctx, path)
        prov = schema["x-provenance"]
    elif kind == "map" and shape:
        schema = _map(node, shape, ctx, path)
        prov = schema["x-provenance"]
    elif kind == "list" or (node and node.kind == "list" and not shape):
        item_node = node.item if node else None
        item_shape = shape["member"]["shape"] if shape else None
        res = _leaf(node, shape, ctx, dotted)
        schema, prov = res["schema"], res["prov"]
        schema["items"] = node_schema(item_node, item_shape, ctx, path, describe=False)
    else:
        res = _leaf(node, shape, ctx, dotted)
        schema, prov = res["schema"], res["prov"]
    if shape_name:
        schema["x-shape"] = shape_name
    key = (OUTPUT, *path) if ctx.direction == "output" else path
    description = ctx.op.descriptions.get(key) if describe else None
    if description:
        schema["description"] = description
        prov["description"] = "document"
    elif describe and shape and shape.get("documentation"):
        schema["description"] = _plain(shape["documentation"])
        prov["description"] = "service-model"
    schema["x-provenance"] = dict(sorted(prov.items()))
    return dict(sorted(schema.items()))


def _map(
    node: TypeNode | None, shape: dict[str, Any], ctx: _Ctx, path: tuple[str, ...]
) -> dict[str, Any]:
    """A map: an object whose names follow the key shape and values the value shape. The
    document writes one as a dict of one example entry (``{'string': 123}``)."""
    entries = list(node.members.values()) if node and node.kind == "structure" else []
    value_node = entries[0] if len(entries) == 1 else None
    return {
        "type": "object",
        "x-type": "map",
        # the document writes keys as 'string': its silence on a key enum is not drift
        "propertyNames": node_schema(
            None, shape["key"]["shape"], _Ctx(ctx.model, ctx.op, ctx.direction), path, False
        ),
        "additionalProperties": node_schema(
            value_node, shape["value"]["shape"], ctx, path, describe=False
        ),
        "x-provenance": {"type": _prov(node is not None, True)},
    }


def _structure(
    node: TypeNode | None, shape: dict[str, Any] | None, ctx: _Ctx, path: tuple[str, ...]
) -> dict[str, Any]:
    doc_members = node.members if node else {}
    model_members = shape.get("members", {}) if shape else {}
    props: dict[str, Any] = {}
    prov: dict[str, str] = {"type": _prov(node is not None, shape is not None)}
    for name in [*doc_members, *(m for m in model_members if m not in doc_members)]:
        in_doc, in_model = name in doc_members, name in model_members
        if in_doc != in_model:
            ctx.record("member", ".".join((*path, name)), in_doc, in_model, "union")
        sub_shape = model_members[name]["shape"] if in_model else None
        props[name] = node_schema(doc_members.get(name), sub_shape, ctx, (*path, name))
        prov[f"member:{name}"] = _prov(in_doc, in_model)
    required = _required(doc_members, shape, ctx, path, prov)
    schema: dict[str, Any] = {"type": "object", "x-type": "structure", "properties": props}
    if required:
        schema["required"] = required
    if ctx.direction == "input":
        schema["additionalProperties"] = False
    schema["x-provenance"] = prov
    return schema


def _required(
    doc_members: dict[str, TypeNode],
    shape: dict[str, Any] | None,
    ctx: _Ctx,
    path: tuple[str, ...],
    prov: dict[str, str],
) -> list[str]:
    model_req = set(shape.get("required", ())) if shape else set()
    top_input = ctx.direction == "input" and not path
    if not top_input:
        for name in sorted(model_req):
            prov[f"required:{name}"] = "service-model"
        return sorted(model_req)
    doc_req = ctx.op.required
    for name in sorted(doc_req | model_req):
        if (name in doc_req) != (name in model_req):
            ctx.record("required", name, name in doc_req, name in model_req, "document")
        if name in doc_req:
            prov[f"required:{name}"] = _prov(True, name in model_req)
    return sorted(doc_req)


def _errors(op: DocOperation, model_op: dict[str, Any], drift: list[Drift]) -> list[dict]:
    doc = list(op.errors)
    model = [e["shape"] for e in model_op.get("errors", [])]
    out = []
    for code in sorted(set(doc) | set(model)):
        out.append({"code": code, "provenance": _prov(code in doc, code in model)})
        if (code in doc) != (code in model):
            drift.append(Drift("error", op.name, code, code in doc, code in model, "union"))
    return out


def _paginator(
    doc: DocService, op: DocOperation, model: ServiceModel, drift: list[Drift]
) -> dict[str, Any] | None:
    dp = doc.paginators.get(op.name)
    mp = model.paginators.get(op.name)
    if dp is None:
        if mp is not None:
            drift.append(Drift("paginator", op.name, "", None, mp, "document"))
        return None
    dropped = [m for m in op.request.members if m not in dp.request.members]
    out_only = [m for m in op.response.members if m not in dp.response.members]
    lists = [m for m, n in dp.response.members.items() if n.kind == "list"]
    limit = [m for m in dropped if op.request.members[m].kind == "integer"]
    token = [m for m in dropped if op.request.members[m].kind == "string"]
    inferred = {
        "input_token": token[0] if len(token) == 1 else None,
        "output_token": out_only[0] if len(out_only) == 1 else None,
        "limit_key": limit[0] if len(limit) == 1 else None,
        "result_key": lists[0] if len(lists) == 1 else None,
    }
    result: dict[str, Any] = {}
    agree = True
    for key, value in inferred.items():
        model_value = mp.get(key) if mp else None
        if value != model_value:
            agree = False
            drift.append(Drift("paginator", op.name, key, value, model_value, "service-model"))
        result[key] = model_value if model_value is not None else value
    result["provenance"] = "both" if agree and mp else ("document" if not mp else "service-model")
    return result


#: The seed document's wording: "This option cannot be used when you specify repositories with
#: ``repositoryNames``" (the described member cannot be used with the one named).
_EXCLUSIVE = re.compile(r"cannot be used when you specify \w+ with ``(\w+)``")
#: Later wordings: "If you specify images with ``imageIds``, you can't use this option." and
#: "If you specify repository names, you can't use ``maxResults`` or ``nextToken``." (the member
#: named after "with", or else the described one, cannot be used with those after "use").
_IF_SPECIFIED = re.compile(
    r"If you specify [\w ]+?(?: with ``(\w+)``)?, you can't use "
    r"(this option|``\w+``(?:(?:,| or| and|, or|, and) ``\w+``)*)"
)


def _pairs(member: str, text: str) -> list[tuple[str, str]]:
    """The (member, other) pairs one member's description says cannot be used together."""
    out = [(member, other) for other in _EXCLUSIVE.findall(text)]
    for named, used in _IF_SPECIFIED.findall(text):
        if used == "this option":
            out.append((member, named))
        else:
            out.extend((named or member, other) for other in re.findall(r"``(\w+)``", used))
    return [(a, b) for a, b in out if a and b and a != b]


def _exclusive(op: DocOperation, drift: list[Drift]) -> list[dict[str, Any]]:
    """Members the document says cannot be used together (see :func:`_pairs`), read from each
    top-level member's description."""
    groups: list[list[str]] = []
    for path, text in sorted(op.descriptions.items()):
        if len(path) != 1 or path[0] not in op.request.members:
            continue
        for first, other in _pairs(path[0], text):
            if first not in op.request.members or other not in op.request.members:
                drift.append(
                    Drift(
                        "rule",
                        op.name,
                        path[0],
                        f"cannot be used with {other}"
                        if first == path[0]
                        else f"{first} cannot be used with {other}",
                        None,
                        "ignored: the document names no such member",
                    )
                )
                continue
            group = sorted({first, other})
            if group not in groups:
                groups.append(group)
    return [{"members": g, "provenance": "document"} for g in groups]


def build_operation(
    doc: DocService, op: DocOperation, model: ServiceModel, drift: list[Drift]
) -> dict[str, Any]:
    """Return the spec document of one operation."""
    meta = model.service["metadata"]
    model_op = model.service["operations"][op.name]
    ins, outs = _Ctx(model, op, "input"), _Ctx(model, op, "output")
    input_schema = node_schema(op.request, model_op.get("input", {}).get("shape"), ins, ())
    output_schema = node_schema(op.response, model_op.get("output", {}).get("shape"), outs, ())
    drift += ins.drift + outs.drift
    return {
        "$schema": "../spec.schema.json#/$defs/operation",
        "name": op.name,
        "python_name": op.python_name,
        "target": f"{meta['targetPrefix']}.{op.name}",
        "summary": op.summary,
        "documentation_url": "https://docs.aws.amazon.com/goto/" + op.url,
        "input": input_schema,
        "output": output_schema,
        "errors": _errors(op, model_op, drift),
        "paginator": _paginator(doc, op, model, drift),
        "exclusive": _exclusive(op, drift),
        "x-provenance": {
            "name": _prov(True, True),
            "target": "service-model",
            "summary": "document",
            "documentation_url": "document",
            "source_line": op.line,
        },
        **({"source_file": op.file} if op.file else {}),
    }


def _waiter(
    name: str, doc: DocService, model: ServiceModel, drift: list[Drift]
) -> dict[str, Any] | None:
    """One waiter: the model's (the document does not state acceptors), checked against the
    document's page for the operation polled, the delay and the number of attempts."""
    mw = model.waiters.get(name)
    dw = doc.waiters.get(name)
    if mw is None:
        drift.append(Drift("waiter", name, "", True, None, "service-model"))
        return None
    if dw is None:
        drift.append(Drift("waiter", name, "", None, True, "service-model"))
    else:
        op = doc.operations.get(mw["operation"])
        stated = {
            "operation": (dw.method, op.python_name if op else None),
            "delay": (dw.delay, mw["delay"]),
            "max_attempts": (dw.max_attempts, mw["maxAttempts"]),
        }
        for key, (in_doc, in_model) in stated.items():
            if in_doc != in_model:
                drift.append(Drift("waiter", name, key, in_doc, in_model, "service-model"))
    out: dict[str, Any] = {"name": name, "operation": mw["operation"]}
    if mw.get("description"):
        out["description"] = mw["description"]
    out["delay"] = mw["delay"]
    out["max_attempts"] = mw["maxAttempts"]
    out["acceptors"] = [dict(sorted(a.items())) for a in mw["acceptors"]]
    out["provenance"] = _prov(dw is not None, True)
    return out


def build_waiters(doc: DocService, model: ServiceModel, drift: list[Drift]) -> dict[str, Any]:
    """Return the waiters file: every waiter of the model, checked against the document."""
    names = sorted(set(model.waiters) | set(doc.waiters))
    built = [_waiter(name, doc, model, drift) for name in names]
    return {
        "$schema": "spec.schema.json#/$defs/waiters",
        "waiters": [w for w in built if w is not None],
    }


def _http_status(shape: dict[str, Any]) -> int:
    return int(shape.get("error", {}).get("httpStatusCode", 500 if shape.get("fault") else 400))


def build_errors(ops: dict[str, dict[str, Any]], model: ServiceModel) -> dict[str, Any]:
    """Return the error catalogue: operation-level errors and the protocol-level overlay."""
    by_code: dict[str, list[str]] = {}
    for name, spec in ops.items():
        for err in spec["errors"]:
            by_code.setdefault(err["code"], []).append(name)
    operation_errors = []
    for code in sorted(by_code):
        shape = model.service["shapes"].get(code, {})
        doc_ops = [n for n in by_code[code] if _listed(ops[n], code, ("document", "both"))]
        fault = "server" if shape.get("fault") else "client"
        operation_errors.append(
            {
                "code": code,
                "fault": fault,
                "class": operation_error_class(code, fault),
                "http_status": [_http_status(shape)],
                "description": _plain(shape.get("documentation", "")),
                "operations": sorted(by_code[code]),
                "documented_for": sorted(doc_ops),
                "provenance": "both" if doc_ops else "service-model",
            }
        )
    return {
        "$schema": "spec.schema.json#/$defs/errors",
        "operation_errors": operation_errors,
        "protocol_errors": [dict(e, provenance="overlay") for e in PROTOCOL_ERRORS],
    }


def _listed(spec: dict[str, Any], code: str, provs: tuple[str, ...]) -> bool:
    return any(e["code"] == code and e["provenance"] in provs for e in spec["errors"])


def build_service(doc: DocService, model: ServiceModel, sources: dict[str, Any]) -> dict:
    """Return the service index."""
    meta = model.service["metadata"]
    return {
        "$schema": "spec.schema.json#/$defs/service",
        "format_version": 1,
        "service_id": meta["serviceId"],
        "service_full_name": meta["serviceFullName"],
        "api_version": next(iter(doc.operations.values())).api_version,
        "protocol": "awsJson1_1" if meta["protocol"] == "json" else meta["protocol"],
        "json_version": meta["jsonVersion"],
        "target_prefix": meta["targetPrefix"],
        "signing_name": meta["signingName"],
        "endpoint_prefix": meta["endpointPrefix"],
        "operations": sorted(doc.operations),
        "paginators": sorted(doc.paginators),
        "sources": sources,
        "x-provenance": {
            "api_version": "both" if meta["apiVersion"] else "document",
            "operations": "document",
            "paginators": "document",
            "service_id": "service-model",
            "service_full_name": "service-model",
            "protocol": "service-model",
            "json_version": "service-model",
            "target_prefix": "service-model",
            "signing_name": "service-model",
            "endpoint_prefix": "service-model",
        },
    }


def operation_drift(doc: DocService, model: ServiceModel) -> list[Drift]:
    """Return drift in the operation and paginator sets themselves."""
    out = []
    model_ops = set(model.service["operations"])
    for name in sorted(set(doc.operations) | model_ops):
        if (name in doc.operations) != (name in model_ops):
            out.append(
                Drift("operation", name, "", name in doc.operations, name in model_ops, "document")
            )
    for name in sorted(set(doc.paginators) | set(model.paginators)):
        if (name in doc.paginators) != (name in model.paginators):
            out.append(
                Drift(
                    "paginator",
                    name,
                    "",
                    name in doc.paginators,
                    name in model.paginators,
                    "document",
                )
            )
    return out
