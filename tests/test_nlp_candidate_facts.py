"""The candidates the actor decision rejects, kept on their document's batch with what a
promotion needs: score and threshold, mentions, and the ties they lost by not being actors."""

from __future__ import annotations

from graph_fixtures import make_document

from nlp.decide import decision_weights
from nlp.extraction.run import extract_documents

TEXT = (
    "The Riverside City Council and the Youth Outreach Network signed a partnership to "
    "reduce youth violence.\n\nThe Riverside City Council funds the Harbour Community Forum."
)
# One feature decides: a candidate with no level cue is rejected (the forum), the council
# (a city) and the network (non-state) are kept. A stand-in, so the test does not move with
# every refit of the shipped weights.
NO_LEVEL_CUE = {"features": ["level:none"], "coef": [-4.0], "intercept": 2.0, "threshold": 0.5}
FORUM = "actor:harbour-community-forum"


def test_nlp_rejected_candidate_kept_with_score_mentions_and_lost_ties() -> None:
    doc = make_document(TEXT)
    with decision_weights(NO_LEVEL_CUE):
        batch = extract_documents([doc]).batches[0]

    assert FORUM not in {e.id for e in batch.entities}
    assert not any(FORUM in (r.source_id, r.target_id) for r in batch.relations)
    (candidate,) = [c for c in batch.candidates if c.entity_id == FORUM]
    assert candidate.name == "Harbour Community Forum"
    assert candidate.score < candidate.threshold == 0.5
    assert [m.text for m in candidate.mentions] == ["Harbour Community Forum"]
    assert candidate.mentions[0].passage_id == doc.passages[1].id
    assert "type" in candidate.properties and "level" in candidate.properties
    funding = [r for r in candidate.ties if r.kind.value == "funding"]
    assert [(r.source_id, r.target_id) for r in funding] == [
        ("actor:riverside-city-council", FORUM)
    ]
    # Every tie ends at something the document writes (or another of its candidates).
    written = {e.id for e in batch.entities} | {c.entity_id for c in batch.candidates}
    assert all({r.source_id, r.target_id} <= written for r in candidate.ties)


def test_nlp_no_candidates_without_the_decision() -> None:
    with decision_weights(None):
        batch = extract_documents([make_document(TEXT)]).batches[0]
    assert batch.candidates == ()
    assert FORUM in {e.id for e in batch.entities}
