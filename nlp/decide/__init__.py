"""Fitted decisions over the candidates the rule/gazetteer components propose.

``features`` / ``relation_features`` turn an actor candidate / a candidate tie into general
numeric features (pure functions); ``actor`` / ``relation`` score them with the logistic
weights shipped in ``nlp/models/`` (both reproduced by ``bench/train_decisions.py``).
"""

from nlp.decide.actor import (
    ActorCandidate,
    ActorDecision,
    active_actor_decision,
    decision_weights,
    load_weights,
)
from nlp.decide.features import MentionObs, actor_features, observe_mention
from nlp.decide.relation import (
    RelationCandidate,
    active_relation_decision,
    decide_relations,
    relation_decision_weights,
)
from nlp.decide.relation_features import EvidenceObs, observe_evidence, relation_features

__all__ = [
    "ActorCandidate",
    "ActorDecision",
    "EvidenceObs",
    "MentionObs",
    "RelationCandidate",
    "active_actor_decision",
    "active_relation_decision",
    "actor_features",
    "decide_relations",
    "decision_weights",
    "load_weights",
    "observe_evidence",
    "observe_mention",
    "relation_decision_weights",
    "relation_features",
]
