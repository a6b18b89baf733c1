"""Type and level of each actor of a document, from every classification seen of it."""

from __future__ import annotations

from collections import Counter

from graph_schema.model import EntityNode, Label
from nlp.components.actor_classifier import Decision, classify_name
from nlp.extraction.state import DocState
from nlp.lexicon import org_lexicon
from nlp.resolution import Resolver


def _as_float(value: object) -> float:
    return float(value)  # type: ignore[arg-type]


def classify_entities(
    state: DocState, resolver: Resolver, entities: dict[str, EntityNode]
) -> dict[str, dict[str, object]]:
    lex = org_lexicon()
    out: dict[str, dict[str, object]] = {}
    chosen: dict[str, tuple[Decision | None, Decision | None]] = {}
    for eid, node in entities.items():
        if node.label is not Label.Actor:
            continue
        decisions = list(state.decisions.get(eid, []))
        entry = resolver.entity(eid)
        prev_props = entry.properties
        # The fullest name seen so far speaks too (an acronym's long form, a later long name).
        decisions.append(classify_name(entry.name, lex))
        types = [d.type for d in decisions if d.type]
        levels = [d.level for d in decisions if d.level]
        t = max(types, key=lambda d: d.confidence, default=None)
        lv = max(levels, key=lambda d: d.confidence, default=None)
        chosen[eid] = (
            _stronger_stored(prev_props, "type", t),
            _stronger_stored(prev_props, "level", lv),
        )
    # Document context: state bodies with no level cue take the document's dominant level,
    # counted in mentions (a city plan names city bodies far more often than ministries).
    mentioned = Counter(m.entity_id for pr in state.passages for m in pr.mentions)
    state_levels: Counter[str] = Counter()
    for eid, (_, lv) in chosen.items():
        if lv and lv.confidence >= 0.8 and lv.value in {"local", "national"}:
            state_levels[lv.value] += max(1, mentioned[eid])
    default_level = state_levels.most_common(1)[0][0] if state_levels else None
    for eid, (t, lv) in chosen.items():
        if t is None:
            t = Decision("government", 0.3, "default: unclassified organisation")
        if lv is None:
            if t.value in {"ngo", "community_group", "faith_group", "private_sector", "academia"}:
                lv = Decision("non_state", 0.8, f"non-state type ({t.value})")
            elif default_level:
                lv = Decision(
                    default_level, 0.4, "document context: dominant level of named state bodies"
                )
            else:
                lv = Decision("national", 0.2, "default: no level cue")
        props: dict[str, object] = {
            "type": t.value,
            "type_confidence": round(t.confidence, 3),
            "type_cue": t.cue,
            "level": lv.value,
            "level_confidence": round(lv.confidence, 3),
            "level_cue": lv.cue,
        }
        resolver.entity(eid).properties.update(props)
        out[eid] = props
    return out


def _stronger_stored(
    props: dict[str, object], field: str, found: Decision | None
) -> Decision | None:
    """The decision already stored on the entity (``field``, ``field_confidence``,
    ``field_cue``) when it is more confident than the one this run found: a weaker mention
    in a later document never overwrites what a stronger one settled."""
    stored = props.get(f"{field}_confidence")
    if not stored or (found is not None and _as_float(stored) <= found.confidence):
        return found
    return Decision(str(props[field]), _as_float(stored), str(props[f"{field}_cue"]))
