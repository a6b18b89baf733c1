"""The review state of gap findings: the status an analyst gave each one, and whether the
evidence it was given on still stands.

A finding is recomputed on every question, not stored, so a decision on one records what it
was made on (``basis``: each evidence passage id with its quote digest, as the analytic view
carries them). A validated or disputed finding keeps its status while that evidence stands;
when a document is replaced or deleted and some of it is gone from the finding, the finding
is flagged ``evidence_changed`` for the analyst to look again, its status untouched.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from analysis.model import Finding
from graph_schema.decisions import TargetKind, decisions_on
from graph_schema.store import GraphStore

__all__ = ["evidence_basis", "review_marks"]

_STATUSES = {"validated", "disputed", "needs_evidence"}


def evidence_basis(finding: Finding) -> list[str]:
    """What a decision on ``finding`` is made on. The finding must come from the analytic
    view (quotes as digests), as GET /gaps computes it before filling its quotes."""
    return sorted({f"{e.passage_id}|{e.quote}" for e in finding.evidence})


def review_marks(store: GraphStore, findings: Sequence[Finding]) -> dict[str, dict[str, Any]]:
    """finding id -> {"review": status or None, "evidence_changed": bool}, for findings
    straight from the view (digests, not quotes)."""
    latest: dict[str, dict[str, Any]] = {}
    for made in decisions_on(store, TargetKind.gap, [f.id for f in findings]):
        if made["action"] in _STATUSES:
            latest[made["target_id"]] = made  # oldest first: the last one is in force
    marks = {}
    for f in findings:
        d = latest.get(f.id)
        # Quotes are compared, not passages: a new version of a document that says the
        # same thing gives new passage ids, and the evidence still stands.
        said = {b.rpartition("|")[2] for b in d["basis"]} if d else set()
        marks[f.id] = {
            "review": d["action"] if d else None,
            "evidence_changed": bool(said - {e.quote for e in f.evidence}),
        }
    return marks
