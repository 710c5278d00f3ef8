"""What changed between two botocore service models (with their paginators and waiters).

Generic over the model: operations, the members reachable from each operation's input and
output (by path, ``input.catalogData.architectures[]``), required members, the constraints of
every shape both models have (type, pattern, lengths, enum) and the enums of new shapes (a
closed set of values is news; other constraints of a new shape come with its members), error
shapes and the errors each
operation declares, paginators and waiters. Used for the report between consecutive editions
and for the alarm that the installed botocore ships a newer model than the newest edition.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from .service_model import ServiceModel

How = Literal["added", "removed", "changed"]
#: Report order and titles of the kinds of change.
KINDS = {
    "metadata": "Service metadata",
    "operation": "Operations",
    "member": "Members",
    "required": "Required members",
    "type": "Shape types",
    "pattern": "Patterns",
    "length": "Lengths and ranges",
    "enum": "Enums",
    "error": "Error shapes",
    "operation-error": "Errors per operation",
    "paginator": "Paginators",
    "waiter": "Waiters",
}
_BOUNDS = ("min", "max")
_METADATA = ("apiVersion", "protocol", "jsonVersion", "targetPrefix", "signingName")


@dataclass(frozen=True)
class Change:
    """One difference: its kind, what it is about, whether added, removed or changed."""

    kind: str
    how: How
    subject: str
    detail: str
    old: Any
    new: Any

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "kind": self.kind,
            "how": self.how,
            "subject": self.subject,
            "detail": self.detail,
            "old": self.old,
            "new": self.new,
        }


def _how(old: Any, new: Any) -> How:
    return "added" if old is None else "removed" if new is None else "changed"


def _keyed(kind: str, old: dict[str, Any], new: dict[str, Any], detail: str = "") -> list[Change]:
    """Added, removed and changed entries of two name -> value maps."""
    out = []
    for name in sorted(set(old) | set(new)):
        a, b = old.get(name), new.get(name)
        if a != b:
            out.append(Change(kind, _how(a, b), name, detail, a, b))
    return out


def _paths(model: ServiceModel, shape: str, prefix: str, seen: tuple[str, ...]) -> dict[str, str]:
    """Every member path reachable from ``shape`` -> the shape name at that path."""
    out = {prefix: shape}
    if shape in seen:
        return out
    body = model.shape(shape)
    kind = body["type"]
    if kind == "structure":
        for name, ref in body.get("members", {}).items():
            out.update(_paths(model, ref["shape"], f"{prefix}.{name}", (*seen, shape)))
    elif kind == "list":
        out.update(_paths(model, body["member"]["shape"], f"{prefix}[]", (*seen, shape)))
    elif kind == "map":
        out.update(_paths(model, body["value"]["shape"], f"{prefix}{{}}", (*seen, shape)))
    return out


def _operation_paths(model: ServiceModel, name: str) -> dict[str, str]:
    op = model.service["operations"][name]
    out: dict[str, str] = {}
    for direction in ("input", "output"):
        if direction in op:
            out.update(_paths(model, op[direction]["shape"], direction, ()))
    return out


def _top(paths: set[str]) -> list[str]:
    """The paths whose parent is not in ``paths`` too (an added structure, not its members)."""
    return sorted(p for p in paths if not any(_below(p, q) for q in paths))


def _below(path: str, parent: str) -> bool:
    return len(path) > len(parent) and path.startswith(parent) and path[len(parent)] in ".[{"


def _operation_changes(old: ServiceModel, new: ServiceModel, name: str) -> list[Change]:
    a, b = _operation_paths(old, name), _operation_paths(new, name)
    out = [Change("member", "added", name, p, None, b[p]) for p in _top(set(b) - set(a))]
    out += [Change("member", "removed", name, p, a[p], None) for p in _top(set(a) - set(b))]
    for path in sorted(set(a) & set(b)):
        ra = sorted(old.shape(a[path]).get("required", ()))
        rb = sorted(new.shape(b[path]).get("required", ()))
        if ra != rb and old.shape(a[path])["type"] == "structure":
            out.append(Change("required", "changed", name, path, ra, rb))
    errors_a = [e["shape"] for e in old.service["operations"][name].get("errors", [])]
    errors_b = [e["shape"] for e in new.service["operations"][name].get("errors", [])]
    for code in sorted(set(errors_a) ^ set(errors_b)):
        added = code in errors_b
        out.append(
            Change("operation-error", "added" if added else "removed", name, code, None, None)
        )
    return out


def _shape_changes(old: ServiceModel, new: ServiceModel) -> list[Change]:
    out = []
    shared = sorted(set(old.service["shapes"]) & set(new.service["shapes"]))
    for name in shared:
        a, b = old.shape(name), new.shape(name)
        if a["type"] != b["type"]:
            out.append(Change("type", "changed", name, "type", a["type"], b["type"]))
            continue
        if a.get("pattern") != b.get("pattern"):
            pa, pb = a.get("pattern"), b.get("pattern")
            out.append(Change("pattern", _how(pa, pb), name, "pattern", pa, pb))
        for key in _BOUNDS:
            va, vb = a.get(key), b.get(key)
            if va != vb:
                out.append(Change("length", _how(va, vb), name, key, va, vb))
        if a.get("enum") != b.get("enum"):
            ea, eb = a.get("enum"), b.get("enum")
            out.append(Change("enum", _how(ea, eb), name, "enum", ea, eb))
    return out


def _new_enums(old: ServiceModel, new: ServiceModel) -> list[Change]:
    added = sorted(set(new.service["shapes"]) - set(old.service["shapes"]))
    return [
        Change("enum", "added", name, "enum", None, new.shape(name)["enum"])
        for name in added
        if "enum" in new.shape(name)
    ]


def _errors(model: ServiceModel) -> dict[str, Any]:
    return {n: True for n, s in model.service["shapes"].items() if s.get("exception")}


def _waiter_changes(old: ServiceModel, new: ServiceModel) -> list[Change]:
    out = []
    for name in sorted(set(old.waiters) | set(new.waiters)):
        a, b = old.waiters.get(name), new.waiters.get(name)
        if a is None or b is None:
            out.append(Change("waiter", _how(a, b), name, "", a, b))
            continue
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                out.append(Change("waiter", "changed", name, key, a.get(key), b.get(key)))
    return out


def diff_models(old: ServiceModel, new: ServiceModel) -> list[Change]:
    """Every change from ``old`` to ``new``, in report order (see :data:`KINDS`)."""
    meta_a = {k: old.service["metadata"].get(k) for k in _METADATA}
    meta_b = {k: new.service["metadata"].get(k) for k in _METADATA}
    ops_a = {n: o.get("name", n) for n, o in old.service["operations"].items()}
    ops_b = {n: o.get("name", n) for n, o in new.service["operations"].items()}
    out = _keyed("metadata", meta_a, meta_b)
    out += _keyed("operation", ops_a, ops_b)
    for name in sorted(set(ops_a) & set(ops_b)):
        out += _operation_changes(old, new, name)
    out += _shape_changes(old, new) + _new_enums(old, new)
    out += _keyed("error", _errors(old), _errors(new))
    out += _keyed("paginator", old.paginators, new.paginators)
    out += _waiter_changes(old, new)
    order = list(KINDS)
    return sorted(out, key=lambda c: order.index(c.kind))


def summary(changes: list[Change]) -> list[tuple[str, Counter[str]]]:
    """Per kind (in report order) the number of changes added, removed and changed."""
    out = []
    for kind, title in KINDS.items():
        counts: Counter[str] = Counter(c.how for c in changes if c.kind == kind)
        if counts:
            out.append((title, counts))
    return out


def summary_line(counts: Counter[str]) -> str:
    """``3 added, 1 removed`` (only the non-zero counts)."""
    return ", ".join(f"{counts[h]} {h}" for h in ("added", "removed", "changed") if counts[h])
