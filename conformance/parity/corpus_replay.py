"""Replay a corpus on a target and compare, record by record.

The corpus's scenarios run again with the corpus's seed and profile under a fresh prefix; the
replayed exchanges are normalised the same way and lined up with the records by their request
templates. A record whose request came back the same is judged; one whose request differs is
*stale* (the suite or an earlier answer changed the scenario) and not judged. A request sent
again and again while waiting for a write to show (a retry) is matched from the last one, and
the repeats on either side are not judged. A record the replay never reached is *missing*, a
request the recording does not have is *extra*: both diverge.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Literal

from ...wire import Exchange
from .compare import Comparison, Divergence
from .corpus import Manifest, Record, dumps
from .normalise import Normalised
from .play import Played, Player
from .scenario_set import scenario_set

Status = Literal["passed", "failed", "stale", "repeat"]


@dataclass(frozen=True)
class RecordOutcome:
    """What the replay made of one record (or of one exchange the recording does not have)."""

    id: str
    operation: str
    status: Status
    record: Record | None = None
    replayed: Normalised | None = None
    exchange: Exchange | None = None
    divergences: tuple[Divergence, ...] = ()
    reason: str = ""

    @property
    def judged(self) -> bool:
        """True for a record compared with its replay (passed or failed)."""
        return self.status in ("passed", "failed")


@dataclass(frozen=True)
class Replay:
    """Every record's outcome, in corpus order, and the scenarios as they ended."""

    manifest: Manifest
    outcomes: tuple[RecordOutcome, ...]
    scenario_outcomes: dict[str, str] = field(default_factory=dict)

    def for_operation(self, operation: str) -> list[RecordOutcome]:
        """The outcomes of the records (and extra exchanges) of ``operation``."""
        return [o for o in self.outcomes if o.operation == operation]


def _key(operation: str, template: object) -> str:
    return hashlib.sha1(f"{operation}\x1f{dumps(template)}".encode()).hexdigest()


def _runs(keys: Sequence[str]) -> list[tuple[str, list[int]]]:
    """Consecutive equal keys grouped: ``[(key, [indices])]``."""
    out: list[tuple[str, list[int]]] = []
    for i, key in enumerate(keys):
        if out and out[-1][0] == key:
            out[-1][1].append(i)
        else:
            out.append((key, [i]))
    return out


Pair = tuple[int | None, int | None, str]  # (record index, replayed index, how)


def align(records: Sequence[Record], played: Sequence[Normalised]) -> list[Pair]:
    """Line the records up with the replayed exchanges by their request templates.

    ``how`` is ``same`` (the same request), ``stale`` (the request differs), ``missing``,
    ``extra`` or ``repeat`` (a retry of the same request, on either side).
    """
    rec = _runs([_key(r.operation, r.request) for r in records])
    rep = _runs([_key(n.operation, n.request) for n in played])
    matcher = SequenceMatcher(None, [k for k, _ in rec], [k for k, _ in rep], autojunk=False)
    out: list[Pair] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for (_, a), (_, b) in zip(rec[i1:i2], rep[j1:j2], strict=True):
                n = min(len(a), len(b))
                out += [(i, None, "repeat") for i in a[: len(a) - n]]
                out += [(None, j, "repeat") for j in b[: len(b) - n]]
                out += [
                    (i, j, "same") for i, j in zip(a[len(a) - n :], b[len(b) - n :], strict=True)
                ]
            continue
        a = [i for _, idx in rec[i1:i2] for i in idx]
        b = [j for _, idx in rep[j1:j2] for j in idx]
        n = min(len(a), len(b)) if tag == "replace" else 0
        out += [(i, j, "stale") for i, j in zip(a[:n], b[:n], strict=True)]
        out += [(i, None, "missing") for i in a[n:]]
        out += [(None, j, "extra") for j in b[n:]]
    return out


def judge_scenario(
    scenario: str, records: Sequence[Record], played: Played | None
) -> list[RecordOutcome]:
    """The outcome of each record of one scenario (``played`` None: the suite has no such
    scenario any more, so every record is stale)."""
    if played is None:
        why = f"the suite has no scenario {scenario} any more: record the corpus again"
        return [RecordOutcome(r.id, r.operation, "stale", r, reason=why) for r in records]
    comparison = Comparison(stamps=played.stamps)
    out: list[RecordOutcome] = []
    ended = "" if played.outcome == "complete" else f" ({played.outcome})"
    for i, j, how in align(records, played.normalised):
        r = records[i] if i is not None else None
        n = played.normalised[j] if j is not None else None
        ex = played.exchanges[j] if j is not None else None
        if r is None:
            assert n is not None
            rid = f"{scenario}+{j + 1 if j is not None else 0}"
            if how == "repeat":
                out.append(RecordOutcome(rid, n.operation, "repeat", None, n, ex))
                continue
            divergence = Divergence("extra", "", "no such request", f"{n.operation} sent")
            out.append(RecordOutcome(rid, n.operation, "failed", None, n, ex, (divergence,)))
            continue
        if how == "repeat":
            out.append(RecordOutcome(r.id, r.operation, "repeat", r))
        elif how == "missing":
            got = f"not sent: the replay of the scenario went another way{ended}"
            divergence = Divergence("missing", "", f"this {r.operation} request", got)
            out.append(RecordOutcome(r.id, r.operation, "failed", r, divergences=(divergence,)))
        elif how == "stale":
            why = "the replayed request differs from the recorded one (stale corpus?): not judged"
            out.append(RecordOutcome(r.id, r.operation, "stale", r, n, ex, reason=why))
        else:
            assert n is not None
            comparison.matching.learn(r.request, r.id)
            found = comparison.answers(r.response, n.response, r.id)
            status: Status = "failed" if found else "passed"
            out.append(RecordOutcome(r.id, r.operation, status, r, n, ex, tuple(found)))
    return out


def replay_corpus(player: Player, manifest: Manifest, records: Sequence[Record]) -> Replay:
    """Play the corpus's scenarios on the player's target and judge every record."""
    specs = {s.id: s for s in scenario_set(manifest.profile)}
    by_scenario: dict[str, list[Record]] = {}
    for r in records:
        by_scenario.setdefault(r.scenario, []).append(r)
    outcomes: list[RecordOutcome] = []
    ended: dict[str, str] = {}
    try:
        player.discover()
        for entry in manifest.scenarios:
            spec = specs.get(entry.id)
            played = player.play(spec) if spec is not None else None
            if played is not None:
                ended[entry.id] = played.outcome
            mine = sorted(by_scenario.get(entry.id, []), key=lambda r: r.step)
            outcomes += judge_scenario(entry.id, mine, played)
    finally:
        player.close()
    return Replay(manifest, tuple(outcomes), ended)
