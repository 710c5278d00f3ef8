"""What the constraint checks say they judged: per constraint of each input member, how many
valid and invalid values.

A labelled sample (a boundary value, or an invalid request with one violation) tried the
constraint its label names, on the side the label says; a valid request tried the ``required``
constraint of every required member it carries. The counts become the result's ``tried``
records, from which the run's constraint coverage is counted.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ...records import Side, Tried
from ...specs import Operation, Shape
from ...strategies.core import ITEM
from ...strategies.labelled import format_path, template_of


def _required_present(shape: Shape, value: Any, path: tuple[str, ...]) -> list[str]:
    """The paths of the required members that ``value`` carries, at any depth."""
    out: list[str] = []
    if shape.kind == "structure" and isinstance(value, dict):
        for m in shape.members:
            if m.name in value:
                if m.required:
                    out.append(format_path((*path, m.name)))
                out += _required_present(m.shape, value[m.name], (*path, m.name))
    elif shape.kind == "list" and shape.item is not None and isinstance(value, list):
        for item in value:
            out += _required_present(shape.item, item, (*path, ITEM))
    return out


class TriedCounter:
    """Counts the values a check judged, per member, constraint and side."""

    def __init__(self, op: Operation) -> None:
        self.op = op
        self.counts: Counter[tuple[str, str, Side]] = Counter()

    def judged(self, sample: Any) -> None:
        """Note a sample the check judged (its label's constraint, and required members)."""
        label = sample.label
        if label is not None and label.keyword:
            side: Side = "valid" if label.valid else "invalid"
            member = format_path(template_of(label.path))
            self.counts[(member, label.keyword, side)] += 1
        if label is None or label.valid:
            for member in dict.fromkeys(_required_present(self.op.input, sample.params, ())):
                self.counts[(member, "required", "valid")] += 1

    def records(self) -> list[Tried]:
        """The counts as ``tried`` records, sorted."""
        return [Tried(m, c, side, n) for (m, c, side), n in sorted(self.counts.items())]
