from __future__ import annotations

from typing import Any

import pytest


def test_relation_fit_skips_a_calibration_fold_whose_ends_were_all_rejected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A fold's actor threshold can reach 0.99 on three corpora and leave a tie model one
    # class to learn from; that fold cannot calibrate, and the fit must go on without it.
    from bench import train_decisions as td

    def tie(y: int, strength: float) -> dict[str, Any]:
        return {"y": y, "key": [str(strength), "a", "b"], "features": {"mean:strength": strength}}

    rows = {
        "scenario-dev": [tie(1, 0.9), tie(0, 0.1), tie(1, 0.8)],
        "scenario-es": [tie(1, 0.7), tie(0, 0.2)],
        "scenario-ke": [tie(1, 0.95)],  # one class only
    }

    def fake_rows(name: str, actor_weights: dict[str, Any]) -> list[dict[str, Any]]:
        if actor_weights.get("held") == "scenario-ke":
            return rows[name] if name == "scenario-ke" else [tie(1, 0.9)]
        return rows[name]

    monkeypatch.setattr(td, "relation_rows", fake_rows)
    monkeypatch.setattr(td, "candidates", lambda name: {"n_gold_ties": len(rows[name])})
    corpora = list(rows)

    def actor_fit(others: list[str]) -> dict[str, Any]:
        return {"held": next(c for c in corpora if c not in others)}

    weights = td.fit_relation_decision(corpora, {}, actor_fit=actor_fit)
    assert 0.0 <= weights["threshold"] <= 1.0
