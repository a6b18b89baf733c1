"""The assessment team's review of the findings a report lists.

An analyst validates, disputes or asks for more evidence on a gap finding (POST
/gaps/{id}/decisions); the decision records the evidence it was made on. The report reads
those decisions through the same ``review_marks`` as GET /gaps, so the report and the API
never disagree on a finding's status or on its "evidence changed" flag.
"""

from __future__ import annotations

from collections.abc import Sequence

from analysis import Finding
from graph_schema.store import GraphStore
from graph_schema.view import quote_digest

from .model import FindingReview

__all__ = ["finding_reviews"]


def _digested(finding: Finding) -> Finding:
    # Decisions record quote digests (the analytic view's form of a quote); the report
    # reads the graph with whole quotes, so they are digested the same way to compare.
    evidence = tuple(
        ev.model_copy(update={"quote": quote_digest(ev.quote)}) for ev in finding.evidence
    )
    return finding.model_copy(update={"evidence": evidence})


def finding_reviews(store: GraphStore, findings: Sequence[Finding]) -> dict[str, FindingReview]:
    """finding id -> its review, for the reviewed findings only (an unreviewed finding is
    absent, so a report with no decision says nothing about review)."""
    # The service's reader of gap decisions, imported here rather than copied: one rule for
    # "in force" and "evidence changed" (it needs only graph_schema and analysis).
    from service.gap_review import review_marks

    marks = review_marks(store, [_digested(f) for f in findings])
    return {
        fid: FindingReview(status=m["review"], evidence_changed=m["evidence_changed"])
        for fid, m in marks.items()
        if m["review"] is not None
    }
