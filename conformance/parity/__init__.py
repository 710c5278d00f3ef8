"""Parity with a recording: record an endpoint once, judge any other against it offline.

``record`` plays a deterministic scenario set (the documented behaviours, a seeded sample of
requests per operation, pagination walks) on a target and writes a corpus: every exchange,
its request as a template and its answer normalised, run-specific values replaced by typed,
numbered placeholders (:mod:`.normalise`, driven by the specs and ``placeholders.toml``).
``run --oracle DIR`` replays the corpus's scenarios with the same seed on the target under
test and reports each divergence in the ``parity`` category, scored apart from conformance.
"""

from .corpus import CorpusError, Manifest, Record, read_manifest, read_records, write_corpus
from .corpus_replay import RecordOutcome, Replay, replay_corpus

__all__ = [
    "CorpusError",
    "Manifest",
    "Record",
    "RecordOutcome",
    "Replay",
    "read_manifest",
    "read_records",
    "replay_corpus",
    "write_corpus",
]
