"""Fitted decisions over the candidates the rule/gazetteer components propose.

``features`` turns a candidate into general numeric features (pure functions);
``actor`` scores them with the logistic weights shipped in ``nlp/models/`` (reproduced by
``bench/train_decisions.py``).
"""

from nlp.decide.actor import (
    ActorCandidate,
    ActorDecision,
    active_actor_decision,
    decision_weights,
    load_weights,
)
from nlp.decide.features import MentionObs, actor_features, observe_mention

__all__ = [
    "ActorCandidate",
    "ActorDecision",
    "MentionObs",
    "active_actor_decision",
    "actor_features",
    "decision_weights",
    "load_weights",
    "observe_mention",
]
