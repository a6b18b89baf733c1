"""The bodies of an actor's ``merge_into`` and ``split`` decisions (POST /actors/{id}/decisions,
routes/decisions.py): one model each, so the OpenAPI document says what each takes."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from graph_schema.actor_merge_decisions import MAX_SPLIT_NAMES
from graph_schema.decisions import Action

from .decision_bodies import Verdict

__all__ = ["ActorMergeIn", "ActorSplitIn"]

ActorId = Annotated[str, StringConstraints(min_length=1, max_length=300, pattern=r"\S")]
AliasName = Annotated[str, StringConstraints(min_length=1, max_length=300, pattern=r"\S")]


class MergeTarget(BaseModel):
    model_config = ConfigDict(extra="forbid")

    into: ActorId = Field(description="The actor this one is the same body as")


class ActorMergeIn(Verdict):
    """The actor is another one: its relations, evidence and names are read as that one's
    (the stored facts stay as extracted; undo gives both back)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "action": "merge_into",
                    "value": {"into": "actor:riverton-city-council"},
                    "reason": "the council's old name",
                }
            ]
        },
    )

    action: Literal[Action.merge_into]
    value: MergeTarget

    def edits(self) -> dict[str, Any] | None:
        return self.value.model_dump(mode="json")


class SplitNames(BaseModel):
    model_config = ConfigDict(extra="forbid")

    names: list[AliasName] = Field(
        min_length=1,
        max_length=MAX_SPLIT_NAMES,
        description="Aliases the resolver merged into this actor that are another actor",
    )


class ActorSplitIn(Verdict):
    """Some of the actor's names are another actor: they become their own, with the mentions
    and evidence that used them, and no later ingestion merges them again (undo re-joins)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "action": "split",
                    "value": {"names": ["Riverton Council"]},
                    "reason": "the county council, not the city's",
                }
            ]
        },
    )

    action: Literal[Action.split_names]
    value: SplitNames

    def edits(self) -> dict[str, Any] | None:
        return self.value.model_dump(mode="json")
