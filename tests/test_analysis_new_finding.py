"""Findings the rules build without validation equal validated ones, and keep the score
bound (the one constraint the rules could break)."""

from __future__ import annotations

import pytest

from analysis.model import ActorRef, Finding, GapKind, new_finding


def test_new_finding_equals_the_validated_model() -> None:
    fields = {
        "id": "gap_0",
        "kind": GapKind.isolated_actor,
        "actors": (ActorRef(id="a", name="A", type="ngo", level="local"),),
        "theme": "policing",
        "score": 0.5,
        "explanation": "A is isolated.",
    }
    made = new_finding(**fields)  # type: ignore[arg-type]
    assert made == Finding(**fields)  # type: ignore[arg-type]
    assert made.model_dump_json() == Finding(**fields).model_dump_json()  # type: ignore[arg-type]
    for bad in (-0.1, 1.5):
        with pytest.raises(ValueError, match="score"):
            new_finding(**{**fields, "score": bad})  # type: ignore[arg-type]
