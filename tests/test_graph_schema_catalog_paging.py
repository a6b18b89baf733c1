"""GET /actors' listing (catalog.list_actors) pages in the database: every page, for every
filter and both orders, is the slice of what reading every match and sorting it in Python
gives (the workbench and the CLI did that before), and the total is the count of all.

Runs on both stores (the ``store`` fixture): ORDER BY, SKIP and LIMIT are the database's.
"""

from __future__ import annotations

import itertools
from typing import Any

from graph_fixtures import batch_for, make_document, relation

from graph_schema.catalog import list_actors
from graph_schema.decisions import Action, TargetKind, record_decision
from graph_schema.model import EntityNode, Label, RelationKind
from graph_schema.store import GraphStore
from graph_schema.writer import write_document

THEME = EntityNode(label=Label.Theme, id="youth_violence", name="youth violence")
LEVELS = ("local", "national", "non_state")
TYPES = ("government", "ngo")


def _actor(i: int) -> EntityNode:
    # Repeated confidences and names: the orders' ties must be broken the same way.
    return EntityNode(
        label=Label.Actor,
        id=f"a:{i:02d}",
        name=f"Body {i % 5}",
        aliases=(f"Body {i % 5}", f"Alias {i}"),
        properties={
            "type": TYPES[i % 2],
            "level": LEVELS[i % 3],
            "confidence": [0.4, 0.6, 0.6, 0.9][i % 4],
            "type_confidence": [0.5, 0.8, 0.7][i % 3],
            **({"level_confidence": 0.55} if i % 2 else {}),
        },
    )


def _seed(store: GraphStore) -> tuple[str, str]:
    actors = [_actor(i) for i in range(18)]
    plan = make_document("\n\n".join(f"Passage {i}." for i in range(4)), source_path="plan.md")
    memo = make_document("One memo passage.\n\nAnother.", source_path="memo.md")
    write_document(
        store,
        batch_for(
            plan,
            [*actors[:12], THEME],
            [
                relation(plan, RelationKind.works_on, a.id, THEME.id, target_label=Label.Theme)
                for a in actors[:12:3]
            ],
        ),
    )
    write_document(store, batch_for(memo, actors[9:]))

    def decide(target: str, action: Action, value: dict[str, Any] | None = None) -> None:
        record_decision(
            store, TargetKind.actor, target, action, author="t", value=value, reason="r"
        )

    for i in (1, 4, 7):
        decide(f"a:{i:02d}", Action.accept)
    decide("a:02", Action.reject)
    decide("a:15", Action.merge_into, {"into": "a:03"})  # a:03 gains the memo through a:15
    return plan.id, memo.id


def _python(every: list[dict[str, Any]], order: str, review: str | None) -> list[str]:
    """What the callers did: every match (by name), filtered and sorted here."""
    kept = [a for a in every if review is None or (a["review"] or "unreviewed") == review]
    if order == "confidence":
        kept.sort(
            key=lambda a: (
                float(a.get("confidence") or 0.0),
                min(
                    float(a.get("type_confidence") or 0.0), float(a.get("level_confidence") or 0.0)
                ),
                str(a.get("name") or ""),
            )
        )
    return [a["id"] for a in kept]


def test_graph_schema_catalog_actor_pages_are_slices_of_the_full_order(store: GraphStore) -> None:
    plan, memo = _seed(store)
    filters: list[dict[str, Any]] = [
        {},
        {"type": "ngo"},
        {"level": "national"},
        {"theme": THEME.id},
        {"q_text": "body 1"},
        {"q_text": "alias 15"},  # a merged actor's name finds its target
        {"document": memo},
        {"document": plan, "level": "local"},
        {"type": "government", "theme": THEME.id, "q_text": "body"},
    ]
    checked = 0
    for f, review, order in itertools.product(
        filters, (None, "unreviewed", "accepted"), ("name", "confidence")
    ):
        every, total_all = list_actors(store, **f, limit=1000)
        assert len(every) == total_all
        # The document filter is the documents as listed (merged actors' documents included).
        if "document" in f:
            assert all(f["document"] in a["doc_ids"] for a in every)
        expected = _python(every, order, review)
        got: list[str] = []
        for skip in range(0, len(expected) + 4, 4):
            page, total = list_actors(
                store,
                **f,
                review=review,
                order=order,
                skip=skip,
                limit=4,
            )
            assert total == len(expected), (f, review, order)
            got += [a["id"] for a in page]
        assert got == expected, (f, review, order)
        checked += bool(expected)
    assert checked > 30  # most combinations list someone
    ids = {a["id"] for a in list_actors(store, limit=1000)[0]}
    assert "a:02" not in ids and "a:15" not in ids  # rejected, merged
    (target,) = list_actors(store, document=memo, q_text="alias 3")[0]
    assert target["id"] == "a:03" and memo in target["doc_ids"]
