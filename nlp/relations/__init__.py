"""Links relation cues to resolved mentions: typed relations with evidence, incl. negatives.

Runs after resolution (it needs entity ids), one passage Doc at a time. Per sentence:

- the participants are the actor/person mentions, the policy/programme mentions, and in a
  respondent's turn the respondent's organisation when the sentence speaks as "we/our/I";
- a negated sentence yields only ``negative_coordination`` (never a positive relation);
- otherwise the strongest cue decides the kind; the source is the grammatical subject
  (an actor mention, the respondent's "we", or for pronoun/"Members" subjects the topic
  actor of the previous sentence), the targets are the other participants;
- "funded by X" makes X the source (dependency agent).


Modules: ``linker`` (the per-sentence driver), ``positive``/``frames`` (cue ties),
``negative``, ``agreements``, ``members``, ``remits``, ``tables``, ``modality``, ``syntax``,
``mentions`` (values), ``vocab`` (word lists).
"""

from nlp.relations.linker import link_relations
from nlp.relations.mentions import LinkedMention, RawRelation
from nlp.relations.remits import Remit, remits
from nlp.relations.tables import TableRow, is_table, table_rows

__all__ = [
    "LinkedMention",
    "RawRelation",
    "Remit",
    "TableRow",
    "is_table",
    "link_relations",
    "remits",
    "table_rows",
]
