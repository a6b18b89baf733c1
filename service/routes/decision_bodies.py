"""What every decision body carries (routes/decisions.py and its siblings' bodies)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

__all__ = ["EvidenceId", "Text", "Verdict"]

Text = Annotated[str, StringConstraints(max_length=4000)]
EvidenceId = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class Verdict(BaseModel):
    """Reason, note and evidence: a decision's record beside its action (and value)."""

    model_config = ConfigDict(extra="forbid")

    reason: Text = ""
    note: Text = ""
    evidence_ids: list[EvidenceId] = Field(
        default_factory=list, max_length=100, description="Evidence the decision was made on"
    )

    def edits(self) -> dict[str, Any] | None:
        return None
