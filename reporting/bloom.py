"""A Neo4j Bloom perspective generated from the graph schema (graph_schema.model).

The file follows the layout of perspectives exported from Bloom 2.x (categories with a
caption property, colour and icon; relationship types; search phrases as ``templates``
with parameterised Cypher; ``metadata`` with the schema's path segments and indexes), so it
can be imported with Bloom's "Import perspective". The search phrases use Neo4j 5 Cypher
(``EXISTS { }`` subqueries) and parameters only; see docs/bloom.md.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from graph_schema.model import KIND_OF_REL_TYPE, REL_TYPE_OF, Label, RelationKind, RelType
from graph_schema.relation_decisions import ACTOR_TIE_KINDS

from .figure import LEVEL_COLOURS

__all__ = ["CATEGORIES", "SEARCH_PHRASES", "TIE_TYPES", "build_perspective", "perspective_json"]

PERSPECTIVE_NAME = "govgraph: coordination in urban safety governance"
PERSPECTIVE_VERSION = "2.3.0"

# label -> (caption property, colour, icon, size, other properties shown in the inspector)
CATEGORIES: dict[Label, tuple[str, str, str, int, tuple[str, ...]]] = {
    Label.Actor: (
        "name",
        "#0072B2",
        "account_balance",
        3,
        ("id", "type", "level", "aliases", "doc_ids", "confidence", "review"),
    ),
    Label.Person: ("name", "#56B4E9", "person", 2, ("id", "aliases", "doc_ids", "review")),
    Label.Policy: ("name", "#E69F00", "gavel", 2, ("id", "kind", "aliases", "doc_ids")),
    Label.Programme: ("name", "#F0E442", "assignment", 2, ("id", "kind", "aliases", "doc_ids")),
    Label.Theme: ("name", "#CC79A7", "local_offer", 3, ("id",)),
    Label.Location: ("name", "#999999", "place", 1, ("id", "aliases")),
    Label.Document: (
        "title",
        "#6E6E6E",
        "description",
        2,
        ("id", "kind", "date", "language", "source_path", "page_count"),
    ),
    Label.Passage: (
        "text",
        "#D9D9D9",
        "format_quote",
        1,
        ("id", "document_id", "page", "turn", "speaker", "section"),
    ),
    Label.Evidence: (
        "quote",
        "#D55E00",
        "fact_check",
        1,
        ("key", "rel_type", "document_id", "confidence", "cue"),
    ),
}

# Positive actor-actor ties, as the gap rules count them (docs/gaps.md, "Ties").
TIE_TYPES = (
    RelType.PARTNERS_WITH,
    RelType.COORDINATES_WITH,
    RelType.FUNDS,
    RelType.HAS_AGREEMENT_WITH,
    RelType.MEMBER_OF,
    RelType.RESPONSIBLE_FOR,
    RelType.IMPLEMENTS,
)
_ACTIVE = f"{RelType.WORKS_ON.value}|{RelType.RESPONSIBLE_FOR.value}"

# Review (graph_schema/decisions, relation_decisions) leaves its verdicts on the stored graph:
# ``review`` on an actor or relationship, and a relation's corrected kind in ``decided_kind``
# (the relationship keeps the extracted type: re-ingestion writes that type again). So a
# phrase never tests a tie by its stored type: it reads the kind the review left, and it
# leaves out what an analyst rejected, the way the API's readers do.
_NEGATIVE = RelationKind.negative_coordination.value


def _kind(r: str) -> str:
    return f"coalesce({r}.decided_kind, {r}.kind)"


def _live(x: str) -> str:
    return f"coalesce({x}.review, '') <> 'rejected'"


def _tie(r: str, *extra: RelationKind) -> str:
    kinds = ", ".join(f"'{KIND_OF_REL_TYPE[t].value}'" for t in TIE_TYPES)
    kinds += "".join(f", '{k.value}'" for k in extra)
    return f"{_kind(r)} IN [{kinds}] AND {_live(r)}"


_REL_COLOURS: dict[RelType, str] = {
    RelType.PARTNERS_WITH: "#009E73",
    RelType.COORDINATES_WITH: "#009E73",
    RelType.FUNDS: "#0072B2",
    RelType.HAS_AGREEMENT_WITH: "#009E73",
    RelType.OVERLAPS_MANDATE_WITH: "#E69F00",
    RelType.DOES_NOT_COORDINATE_WITH: "#D55E00",
    RelType.MEMBER_OF: "#56B4E9",
    RelType.IMPLEMENTS: "#E69F00",
    RelType.RESPONSIBLE_FOR: "#CC79A7",
    RelType.WORKS_ON: "#CC79A7",
    RelType.ADDRESSES: "#CC79A7",
    RelType.LOCATED_IN: "#999999",
    RelType.IN_DOCUMENT: "#BBBBBB",
    RelType.MENTIONS: "#BBBBBB",
    RelType.CITES: "#BBBBBB",
}

# (source label, type, target label) as the writer creates them (graph_schema.writer).
_A, _P = Label.Actor.value, Label.Person.value
PATH_SEGMENTS: tuple[tuple[str, RelType, str], ...] = (
    *(
        (_A, t, _A)
        for t in (
            RelType.PARTNERS_WITH,
            RelType.COORDINATES_WITH,
            RelType.FUNDS,
            RelType.HAS_AGREEMENT_WITH,
            RelType.OVERLAPS_MANDATE_WITH,
            RelType.DOES_NOT_COORDINATE_WITH,
            RelType.MEMBER_OF,
            RelType.IMPLEMENTS,
            RelType.RESPONSIBLE_FOR,
        )
    ),
    (_P, RelType.MEMBER_OF, _A),
    (_A, RelType.IMPLEMENTS, Label.Policy.value),
    (_A, RelType.IMPLEMENTS, Label.Programme.value),
    (_A, RelType.RESPONSIBLE_FOR, Label.Policy.value),
    (_A, RelType.RESPONSIBLE_FOR, Label.Theme.value),
    (_A, RelType.WORKS_ON, Label.Theme.value),
    (_A, RelType.LOCATED_IN, Label.Location.value),
    (_P, RelType.WORKS_ON, Label.Theme.value),
    (Label.Policy.value, RelType.ADDRESSES, Label.Theme.value),
    (Label.Programme.value, RelType.ADDRESSES, Label.Theme.value),
    (Label.Passage.value, RelType.IN_DOCUMENT, Label.Document.value),
    *(
        (Label.Passage.value, RelType.MENTIONS, lb.value)
        for lb in (
            Label.Actor,
            Label.Person,
            Label.Policy,
            Label.Programme,
            Label.Theme,
            Label.Location,
        )
    ),
    (Label.Evidence.value, RelType.CITES, Label.Passage.value),
)

_THEME = {
    "name": "$theme",
    "dataType": "String",
    "suggestionLabel": "Theme",
    "suggestionProp": "name",
}
_LEVEL = {
    "name": "$level",
    "dataType": "String",
    "cypher": "UNWIND ['local', 'national', 'international', 'non_state'] AS level RETURN level",
}
_ACTOR = {
    "name": "$actor",
    "dataType": "String",
    "suggestionLabel": "Actor",
    "suggestionProp": "name",
}
_THEME_MATCH = "(t.name = $theme OR t.id = $theme)"

# (phrase, description, parameters, Cypher). Phrases answer the main gap questions.
SEARCH_PHRASES: tuple[tuple[str, str, tuple[dict[str, str], ...], str], ...] = (
    (
        "Actors working on $theme with no partner at $level",
        "Actors active on a theme that have no tie of any kind to an actor at the given level.",
        (_THEME, _LEVEL),
        f"MATCH (a:Actor)-[w:{_ACTIVE}]->(t:Theme) WHERE {_THEME_MATCH} "
        f"AND {_live('a')} AND {_live('w')} "
        f"AND NOT EXISTS {{ MATCH (a)-[r]-(b:Actor) WHERE b.level = $level AND {_live('b')} "
        f"AND {_tie('r')} }} "
        "RETURN a, w, t",
    ),
    (
        "Pairs on $theme with no link",
        "Two actors active on the same theme with no partnership, coordination, funding, "
        "agreement, membership or mandate between them.",
        (_THEME,),
        f"MATCH (a:Actor)-[w1:{_ACTIVE}]->(t:Theme)<-[w2:{_ACTIVE}]-(b:Actor) "
        f"WHERE {_THEME_MATCH} AND a.id < b.id AND {_live('a')} AND {_live('b')} "
        f"AND {_live('w1')} AND {_live('w2')} "
        f"AND NOT EXISTS {{ MATCH (a)-[r]-(b) WHERE {_tie('r')} }} "
        "RETURN a, w1, t, w2, b LIMIT 200",
    ),
    (
        "Network on $theme",
        "Actors active on a theme and the ties (and stated non-coordination) among them.",
        (_THEME,),
        f"MATCH (a:Actor)-[w:{_ACTIVE}]->(t:Theme) WHERE {_THEME_MATCH} "
        f"AND {_live('a')} AND {_live('w')} "
        f"OPTIONAL MATCH (a)-[r]-(b:Actor)-[w2:{_ACTIVE}]->(t) "
        f"WHERE {_tie('r', RelationKind.negative_coordination)} AND {_live('b')} "
        f"AND {_live('w2')} RETURN a, w, t, r, b",
    ),
    (
        "Who does not coordinate with $actor",
        "Explicit statements that an actor does not coordinate, with the quoted passages "
        "and their documents.",
        (_ACTOR,),
        "MATCH (a:Actor)-[r]-(b:Actor) "
        f"WHERE a.name = $actor AND {_kind('r')} = '{_NEGATIVE}' AND {_live('r')} "
        f"AND {_live('a')} AND {_live('b')} "
        f"OPTIONAL MATCH (e:Evidence {{key: r.key}})-[c:{RelType.CITES.value}]->(p:Passage)"
        f"-[i:{RelType.IN_DOCUMENT.value}]->(d:Document) "
        "RETURN a, r, b, e, c, p, i, d",
    ),
    (
        "Non-state actors with no government tie",
        "Non-state organisations with no tie to any local or national government actor.",
        (),
        f"MATCH (a:Actor {{level: 'non_state'}}) WHERE {_live('a')} "
        f"AND NOT EXISTS {{ MATCH (a)-[r]-(g:Actor) "
        f"WHERE g.level IN ['local', 'national'] AND {_live('g')} AND {_tie('r')} }} RETURN a",
    ),
    (
        "Commitments on $theme with no implementer",
        "Policies and programmes addressing a theme that no actor implements.",
        (_THEME,),
        f"MATCH (p)-[r:{RelType.ADDRESSES.value}]->(t:Theme) "
        f"WHERE (p:Policy OR p:Programme) AND {_THEME_MATCH} AND {_live('r')} "
        f"AND NOT EXISTS {{ MATCH (x:Actor)-[i:{RelType.IMPLEMENTS.value}]->(p) "
        f"WHERE {_live('i')} AND {_live('x')} }} "
        "RETURN p, r, t",
    ),
    (
        "Evidence for $actor",
        "The passages and documents behind an actor's relationships.",
        (_ACTOR,),
        "MATCH (a:Actor)-[r]-(b) WHERE a.name = $actor AND r.key IS NOT NULL "
        f"AND {_live('r')} AND {_live('a')} AND {_live('b')} "
        f"MATCH (e:Evidence {{key: r.key}})-[c:{RelType.CITES.value}]->(p:Passage)"
        f"-[i:{RelType.IN_DOCUMENT.value}]->(d:Document) "
        "RETURN a, r, b, e, c, p, i, d LIMIT 300",
    ),
)


def _category(i: int, label: Label, now: int) -> dict[str, Any]:
    caption, colour, icon, size, props = CATEGORIES[label]
    properties = [caption, *(p for p in props if p != caption)]
    return {
        "id": i,
        "name": label.value,
        "labels": [label.value],
        "properties": [
            {"name": p, "exclude": False, "isCaption": p == caption, "dataType": "string"}
            for p in properties
        ],
        "color": colour,
        "size": size,
        "icon": icon,
        "captionKeys": [caption],
        "captions": [
            {"key": caption, "type": "property", "isCaption": True, "inTooltip": True, "styles": []}
        ],
        # Actors take their colour from their level, the way the report's figures do; one
        # an analyst rejected ("not an actor") is drawn pale whatever its level (the first
        # matching rule wins in Bloom).
        "styleRules": [
            _rule("review", "rejected", _REJECTED_COLOUR),
            *(
                _rule("level", level, colour_)
                for level, colour_ in LEVEL_COLOURS.items()
                if level != "unknown"
            ),
        ]
        if label is Label.Actor
        else [_rule("review", "rejected", _REJECTED_COLOUR)]
        if label is Label.Person
        else [],
        "textSize": 1,
        "textAlign": "top",
        "createdAt": now,
        "lastEditedAt": now,
    }


_REJECTED_COLOUR = "#E0E0E0"
_REVERSED_COLOUR = "#000000"
# Stored types a review may correct (ties between actors, graph_schema/relation_decisions).
_CORRECTABLE = frozenset(REL_TYPE_OF[k] for k in ACTOR_TIE_KINDS)


def _rule(prop: str, value: str | bool, colour: str, size: int | None = None) -> dict[str, Any]:
    return {
        "type": "single",
        "basedOn": prop,
        "dataType": "boolean" if isinstance(value, bool) else "string",
        "operator": "equals",
        "value": value,
        "applyColor": True,
        "color": colour,
        "applySize": size is not None,
        **({"size": size} if size is not None else {}),
    }


def _review_rules(rel: RelType) -> list[dict[str, Any]]:
    """How a relationship shows what review made of it. Bloom draws the stored type and
    direction, so a corrected tie is drawn in its corrected kind's colour and captioned with
    that kind, a reversed one in black with the caption "reversed" (its arrow is the
    extraction's), and a rejected one pale and thin (the search phrases leave it out)."""
    rules = [_rule("review", "rejected", _REJECTED_COLOUR, size=1)]
    if rel in _CORRECTABLE:
        rules.append(_rule("reversed", True, _REVERSED_COLOUR))
        rules += [
            _rule("decided_kind", k.value, _REL_COLOURS[REL_TYPE_OF[k]])
            for k in sorted(ACTOR_TIE_KINDS)
            if REL_TYPE_OF[k] is not rel
        ]
    return rules


def _relationship_type(rel: RelType) -> dict[str, Any]:
    provenance = rel in {RelType.IN_DOCUMENT, RelType.MENTIONS, RelType.CITES}
    corrections = (
        (("decided_kind", "string"), ("reversed", "boolean")) if rel in _CORRECTABLE else ()
    )
    return {
        "id": rel.value,
        "name": rel.value,
        "color": _REL_COLOURS[rel],
        "size": 1 if provenance else 2,
        "properties": []
        if provenance
        else [
            {"propertyKey": p, "type": rel.value, "dataType": d}
            for p, d in (
                ("key", "string"),
                ("kind", "string"),
                ("confidence", "number"),
                ("doc_ids", "array"),
                ("evidence_count", "number"),
                ("review", "string"),
                *corrections,
            )
        ],
        "captionKeys": ["0_REL_TYPE_CAPTION_KEY"],
        "captions": [
            {
                "key": rel.value,
                "type": "relationship",
                "isCaption": True,
                "inTooltip": True,
                "styles": [],
            },
            # Shown only on relationships that have them: the kind a review gave the tie,
            # and that it was turned around.
            *(
                {"key": p, "type": "property", "isCaption": True, "inTooltip": True, "styles": []}
                for p, _ in corrections
            ),
        ],
        "styleRules": [] if provenance else _review_rules(rel),
        "textSize": 1,
        "textAlign": "top",
    }


def _template(
    i: int, phrase: str, description: str, params: tuple[dict[str, str], ...], cypher: str, now: int
) -> dict[str, Any]:
    return {
        "id": f"tmpl:{now + i}",
        "name": phrase,
        "text": phrase,
        "description": description,
        "cypher": cypher,
        "params": [
            {
                "name": p["name"],
                "dataType": p["dataType"],
                "collapsed": False,
                "suggestionLabel": p.get("suggestionLabel"),
                "suggestionProp": p.get("suggestionProp"),
                "suggestionBoolean": False,
                "cypher": p.get("cypher"),
            }
            for p in params
        ],
        "isUpdateQuery": None,
        "hasCypherErrors": False,
        "createdAt": now + i,
    }


def build_perspective(now_ms: int | None = None) -> dict[str, Any]:
    """The perspective as a dict. ``now_ms`` fixes the timestamps (tests, reproducible files)."""
    now = int(time.time() * 1000) if now_ms is None else now_ms
    labels = list(CATEGORIES)
    rel_types = list(RelType)
    return {
        "name": PERSPECTIVE_NAME,
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, "govgraph/bloom-perspective")),
        "categories": [_category(i, lb, now) for i, lb in enumerate(labels, start=1)],
        "labels": {
            lb.value: [
                {"propertyKey": p, "type": lb.value, "dataType": "string"}
                for p in dict.fromkeys((CATEGORIES[lb][0], *CATEGORIES[lb][4]))
            ]
            for lb in labels
        },
        "relationshipTypes": [_relationship_type(r) for r in rel_types],
        "palette": {
            "colors": [CATEGORIES[lb][1] for lb in labels],
            "currentIndex": len(labels) % len(labels),
        },
        "templates": [_template(i, *phrase, now=now) for i, phrase in enumerate(SEARCH_PHRASES)],
        "sceneActions": [],
        # Service bookkeeping (jobs, API key hashes, migrations) stays out of analysts' view.
        "hiddenCategories": [],
        "hiddenRelationshipTypes": [],
        "hideUncategorisedData": True,
        "isAuto": False,
        "parentPerspectiveId": None,
        "history": [],
        "metadata": {
            "pathSegments": [
                {"source": s, "relationshipType": r.value, "target": t} for s, r, t in PATH_SEGMENTS
            ],
            "indexes": [
                *(
                    {"label": lb.value, "type": "native", "propertyKeys": ["id"]}
                    for lb in labels
                    if lb not in {Label.Passage, Label.Evidence}
                ),
                {"label": Label.Actor.value, "type": "native", "propertyKeys": ["name"]},
                {"label": Label.Policy.value, "type": "native", "propertyKeys": ["name"]},
                {"label": Label.Programme.value, "type": "native", "propertyKeys": ["name"]},
                {"label": Label.Evidence.value, "type": "native", "propertyKeys": ["key"]},
            ],
            "stats": {"labels": {}, "relationshipTypes": {}},
        },
        "createdAt": now,
        "lastEditedAt": now,
        "version": PERSPECTIVE_VERSION,
    }


def perspective_json(now_ms: int | None = None) -> str:
    return json.dumps(build_perspective(now_ms), indent=2, ensure_ascii=False) + "\n"
