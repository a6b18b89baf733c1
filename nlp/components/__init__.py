"""spaCy components of the govgraph pipeline. Importing this package registers the factories."""

from nlp.components.actor_classifier import ActorClassifier
from nlp.components.actor_ruler import ActorRuler
from nlp.components.list_items import mark_list_items
from nlp.components.relation_cues import RelationCueTagger
from nlp.components.themes import ThemeTagger

__all__ = [
    "ActorClassifier",
    "ActorRuler",
    "RelationCueTagger",
    "ThemeTagger",
    "mark_list_items",
]
