"""Closed word lists and dependency-label sets the relation linker reads (shared by its modules)."""

from __future__ import annotations

from graph_schema.model import Label, RelationKind

_SELF_WORDS = frozenset(
    {
        "we",
        "our",
        "us",
        "ours",
        "i",
        "my",
        "me",
        "nosotros",
        "nuestra",
        "nuestro",
        "nuestros",
        "nuestras",
        "nos",
    }
)


_THIRD_PERSON = frozenset({"they", "he", "she", "ellos", "ellas"})


_ANAPHORA = frozenset({"they", "them", "their", "it", "its", "he", "she", "ellos", "ellas"})


_ACTOR_LABELS = frozenset({Label.Actor, Label.Person})


_POLICY_LABELS = frozenset({Label.Policy, Label.Programme})


_PAIR_PRIORITY = (
    RelationKind.mou,
    RelationKind.funding,
    RelationKind.partnership,
    RelationKind.coordinates,
    RelationKind.mandate,
)


_POLICY_PRIORITY = (RelationKind.funding, RelationKind.implements, RelationKind.mandate)


_STRONG_NEG_PHRASE_CONF = 0.75


_WEAK_NEG_CONF = 0.55


_SUBJ_DEPS = frozenset({"nsubj", "nsubjpass", "nsubj:pass", "csubj"})


_HERE = frozenset({"here", "aquí", "acá"})


# Cue kinds ending in this hold only between the speaker's organisation and another body:
# "they send us children", "we take them to X" (everyday verbs, ties only in testimony).
_SELF_SUFFIX = "_self"


_REACH_OUT = ("call", "llam")


# Children that start another predication: their actors are not the cue's arguments.
_CLAUSE_DEPS = frozenset({"advcl", "relcl", "ccomp", "parataxis", "acl:relcl", "acl"})


_MAX_CLIMB = 4


_GROUP_NOUNS = frozenset(
    {
        "member",
        "members",
        "membership",
        "partner",
        "partners",
        "participant",
        "participants",
        "miembros",
        "integrantes",
    }
)


_OBJ_DEPS = frozenset({"dobj", "obj"})


_RECIPIENT_DEPS = frozenset({"dative", "iobj"})


_IT_WORDS = frozenset({"it", "lo", "la"})


_REL_PRONOUNS = frozenset({"which", "that", "who", "whom", "que", "quien", "quienes", "cual"})


_REL_DEPS = frozenset({"relcl", "acl:relcl"})

# Possessive relative determiners: "the Parish, whose youth ministry works with X",
# "la Parroquia, cuya Pastoral colabora con X" - the clause's subject belongs to the
# antecedent, which is who acts.
_POSS_RELATIVES = frozenset({"whose", "cuyo", "cuya", "cuyos", "cuyas"})

# Kinds a tie verb can state of two bodies named together as its subject ("A and B meet
# every month", "A y B colaboran"): the tie is between the conjuncts.
_MUTUAL_KINDS = frozenset({RelationKind.coordinates, RelationKind.partnership, RelationKind.mou})
