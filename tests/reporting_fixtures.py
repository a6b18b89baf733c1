"""A small, known graph for the reporting, export and Bloom tests (fast to write)."""

from __future__ import annotations

from graph_fixtures import actor, batch_for, make_document, relation

from graph_schema.model import (
    ActorView,
    DocumentView,
    EntityNode,
    EvidenceView,
    Label,
    RelationKind,
    RelationView,
    Subgraph,
)
from graph_schema.store import GraphStore
from graph_schema.writer import write_document
from ingest.model import DocumentKind, PassageKind, SpeakerRole
from reporting import Report, ThemeInput, build_report

THEME_ID = "youth_violence"
THEME_NAME = "Youth violence"

PLAN = """The Riverton City Council works on youth violence prevention in every district.

The Ministry of Justice works on youth violence through the national prevention fund.

The Riverton Youth Trust runs youth violence outreach with the Riverton City Council.

The Ministry of Justice does not coordinate with the Riverton City Council on youth violence & gangs <urgent>."""

INTERVIEW = """The Ministry of Justice never calls the Riverton City Council about youth violence.

The Riverton Youth Trust works on youth violence with street mentors."""

ACTORS = {
    "actor:council": ("Riverton City Council", "local", "government"),
    "actor:ministry": ("Ministry of Justice", "national", "government"),
    "actor:trust": ("Riverton Youth Trust", "non_state", "ngo"),
}


def seed_graph(store: GraphStore) -> None:
    """Two documents: a plan and an interview. Council and ministry share the theme, are not
    linked, and two passages say so; the trust partners with the council."""
    theme = EntityNode(label=Label.Theme, id=THEME_ID, name=THEME_NAME)
    entities = [actor(i, n, lv, t) for i, (n, lv, t) in ACTORS.items()]
    plan = make_document(PLAN, source_path="plan.md", kind=DocumentKind.plan)
    # A paginated plan (as a PDF reads): page_count is a property the Bloom perspective shows.
    plan = plan.model_copy(
        update={"title": "Riverton Safer Streets Plan", "date": "2025-03-01", "page_count": 4}
    )
    kii = make_document(INTERVIEW, source_path="kii_01.txt", kind=DocumentKind.kii)
    kii = kii.model_copy(update={"title": "Interview with a youth worker", "date": "2025-06-10"})
    # As the readers write them: plan passages under a heading, interview passages as turns of
    # a pseudonymised respondent (the Bloom perspective shows section, turn and speaker).
    plan = plan.model_copy(
        update={
            "passages": tuple(
                p.model_copy(update={"section": "Coordination"}) for p in plan.passages
            )
        }
    )
    kii = kii.model_copy(
        update={
            "passages": tuple(
                p.model_copy(
                    update={
                        "kind": PassageKind.turn,
                        "turn": p.index,
                        "page": None,
                        "speaker": "Respondent 1",
                        "speaker_role": SpeakerRole.respondent,
                    }
                )
                for p in kii.passages
            )
        }
    )

    def works_on(doc, who: str, passage: int):  # type: ignore[no-untyped-def]
        return relation(
            doc, RelationKind.works_on, who, THEME_ID, passage=passage, target_label=Label.Theme
        )

    write_document(
        store,
        batch_for(
            plan,
            [*entities, theme],
            [
                works_on(plan, "actor:council", 0),
                works_on(plan, "actor:ministry", 1),
                works_on(plan, "actor:trust", 2),
                relation(plan, RelationKind.partnership, "actor:trust", "actor:council", passage=2),
                relation(
                    plan,
                    RelationKind.negative_coordination,
                    "actor:ministry",
                    "actor:council",
                    passage=3,
                ),
            ],
        ),
    )
    write_document(
        store,
        batch_for(
            kii,
            [entities[0], entities[1], entities[2], theme],
            [
                works_on(kii, "actor:council", 0),
                works_on(kii, "actor:trust", 1),
                relation(
                    kii,
                    RelationKind.negative_coordination,
                    "actor:ministry",
                    "actor:council",
                    passage=0,
                ),
            ],
        ),
    )


def pure_report() -> Report:
    """A report built without a store, with hostile text in names and quotes."""
    from analysis import find_gaps

    doc = DocumentView(
        id="d" * 64,
        title="Plan <b>& co</b>",
        kind="plan",
        language="en",
        source_path="plan.md",
        date="2025-01-01",
        passage_count=2,
    )
    ev = EvidenceView(
        document_id=doc.id,
        document_title=doc.title,
        document_kind="plan",
        passage_id=f"{doc.id}:1",
        page=4,
        turn=None,
        speaker=None,
        quote="A does not work with <script>alert(1)</script> *B*",
        char_start=0,
        char_end=10,
        confidence=0.9,
        cue="test",
    )
    actors = (
        ActorView(id="a", name="Agency <A>", level="local", type="government", themes=("t",)),
        ActorView(id="b", name="Bureau_[B]", level="national", type="government", themes=("t",)),
        ActorView(id="c", name="Club", level="non_state", type="ngo", themes=("t",)),
    )
    rels = (
        RelationView(
            key="n",
            kind=RelationKind.negative_coordination,
            source="a",
            target="b",
            confidence=0.9,
            doc_ids=(doc.id,),
            evidence=(ev,),
        ),
        RelationView(
            key="p",
            kind=RelationKind.partnership,
            source="a",
            target="c",
            confidence=0.9,
            doc_ids=(doc.id,),
            evidence=(ev,),
        ),
        *(
            RelationView(
                key=f"w{x}",
                kind=RelationKind.works_on,
                source=x,
                target="t",
                confidence=0.9,
                doc_ids=(doc.id,),
                evidence=(ev,),
            )
            for x in "abc"
        ),
    )
    sub = Subgraph(documents=(doc,), actors=actors, relations=rels)
    return build_report(
        [ThemeInput("t", "Theme <T>", sub, find_gaps(sub))], [doc], generated_at="now"
    )
