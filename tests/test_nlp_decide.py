"""The actor decision (nlp/decide): features, the shipped weights, and the extraction hook."""

from __future__ import annotations

import json

import pytest

from graph_schema.model import Label
from nlp import extract_documents
from nlp.decide import ActorDecision, actor_features, decision_weights, load_weights
from nlp.decide.actor import SHIPPED
from nlp.lexicon import org_lexicon
from tests.document_fixtures import text_document


def test_decide_features_name_shape_and_head_class() -> None:
    lex = org_lexicon()
    ministry = actor_features(
        "Ministry of Interior", [], [], lex=lex, gazetteer=frozenset(), language="en"
    )
    heading = actor_features(
        "DATA COLLECTION 2024", [], [], lex=lex, gazetteer=frozenset(), language="es"
    )
    assert ministry["first:org_head"] == 1.0 and "all_caps" not in ministry
    assert heading["all_caps"] == heading["has_year"] == heading["lang_es"] == 1.0
    assert "any:org_head" not in heading


def test_decide_scorer_rejects_malformed_weights(tmp_path) -> None:
    bad = tmp_path / "w.json"
    bad.write_text(json.dumps({"features": ["a"], "coef": [1.0, 2.0], "intercept": 0}))
    with pytest.raises(ValueError, match=r"malformed|length"):
        load_weights(bad)
    bad.write_text("{not json")
    with pytest.raises(ValueError, match="not JSON"):
        load_weights(bad)


def test_decide_scorer_is_logistic() -> None:
    d = ActorDecision.from_weights(
        {"features": ["x"], "coef": [2.0], "intercept": -1.0, "threshold": 0.5}
    )
    assert d.score({"x": 0.5}) == pytest.approx(0.5)
    assert d.score({"x": 3.0}) > 0.99 and not d.accepts(d.score({}))


def _fixture():
    return text_document(
        "decide-fixture",
        "Data Collection and Analysis",
        "The Forum Moderator opened the session and the Ministry of Public Security "
        "presented its plan.",
        "The Ministry of Public Security works with the Data Collection and Analysis "
        "on prevention.",
        "Forum Moderator: welcome. The Ministry of Public Security funds youth centres.",
    )


def test_decide_shipped_weights_reject_heading_and_role_keep_ministry() -> None:
    assert SHIPPED.exists(), "run bench/train_decisions.py to ship the weights"
    run = extract_documents([_fixture()])
    actors = {e.name for e in run.entities if e.label is Label.Actor}
    assert any("Ministry of Public Security" in n for n in actors)
    assert not any("Data Collection" in n or "Moderator" in n for n in actors)
    rejected = {c.name for c in run.candidates if not c.accepted}
    assert rejected and all(c.score is not None for c in run.candidates)
    # Rejected candidates are in no relation.
    ids = {c.entity_id for c in run.candidates if not c.accepted}
    assert not any(
        r.source_id in ids or r.target_id in ids for b in run.batches for r in b.relations
    )


def test_decide_disabled_lets_the_non_actors_through() -> None:
    # The same text without the decision: the rules propose the non-actors, so the test
    # above passes only because of the fitted decision.
    with decision_weights(None):
        run = extract_documents([_fixture()])
    actors = {e.name for e in run.entities if e.label is Label.Actor}
    assert any("Data Collection" in n or "Moderator" in n for n in actors)
    assert all(c.accepted and c.score is None for c in run.candidates)
