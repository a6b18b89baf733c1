"""The actor decision: logistic regression over ``features.actor_features``.

Weights are plain JSON (``nlp/models/actor_decision.json``: feature names, standardisation,
coefficients, intercept, threshold, training provenance), written by
``bench/train_decisions.py``. Which weights apply, in order: the ``decision_weights``
context (evaluation scripts, leave-one-corpus-out), the file named by the environment
variable ``GOVGRAPH_DECISION_WEIGHTS`` (``off`` disables the decision), the shipped file.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict

__all__ = [
    "SHIPPED",
    "ActorCandidate",
    "ActorDecision",
    "active_actor_decision",
    "decision_weights",
    "load_weights",
]

SHIPPED = Path(__file__).resolve().parent.parent / "models" / "actor_decision.json"
ENV = "GOVGRAPH_DECISION_WEIGHTS"
_OFF = "off"


class ActorCandidate(BaseModel):
    """An entity candidate with its decision: kept even when rejected, so a reviewer can
    see its score and promote it."""

    model_config = ConfigDict(frozen=True)

    entity_id: str
    name: str
    aliases: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    score: float | None = None  # None: no decision applied
    accepted: bool = True
    features: dict[str, float] = {}


@dataclass(frozen=True)
class ActorDecision:
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float

    @classmethod
    def from_weights(cls, w: Mapping[str, Any], what: str = "actor decision") -> ActorDecision:
        """``what`` names the decision in errors: the relation decision uses this scorer too."""
        try:
            names = tuple(str(n) for n in w["features"])
            coef = np.asarray(w["coef"], dtype=float)
            mean = np.asarray(w.get("mean", [0.0] * len(names)), dtype=float)
            scale = np.asarray(w.get("scale", [1.0] * len(names)), dtype=float)
            intercept, threshold = float(w["intercept"]), float(w["threshold"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{what} weights are malformed: {exc!r}") from exc
        if not (len(names) == coef.size == mean.size == scale.size) or coef.ndim != 1:
            raise ValueError(f"{what} weights: features, coef, mean, scale differ in length")
        if not 0.0 <= threshold <= 1.0 or not np.all(np.isfinite(coef)) or np.any(scale <= 0):
            raise ValueError(f"{what} weights: threshold outside [0, 1] or bad coef/scale")
        return cls(names, mean, scale, coef, intercept, threshold)

    def vector(self, feats: Mapping[str, float]) -> np.ndarray:
        return np.array([feats.get(n, 0.0) for n in self.features], dtype=float)

    def score(self, feats: Mapping[str, float]) -> float:
        z = float(((self.vector(feats) - self.mean) / self.scale) @ self.coef) + self.intercept
        return float(1.0 / (1.0 + np.exp(-z)))

    def accepts(self, score: float) -> bool:
        return score >= self.threshold


def load_weights(path: str | Path, what: str = "actor decision") -> dict[str, Any]:
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ValueError(f"{what} weights not found: {p}") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(f"{what} weights {p} are not JSON: {exc}") from exc
    ActorDecision.from_weights(data, what)  # validate now, with the file's name in the error
    return dict(data)


@dataclass(frozen=True)
class WeightsSource:
    """Where one fitted decision's weights come from, in this order: an override set by
    ``override()`` for the current context, the path in ``env`` (or ``off``), the shipped
    file. One instance per decision (actor, relation); a file is read once per mtime."""

    env: str
    shipped: Path
    what: str
    # None: no override; False: decision disabled; a dict: these weights.
    _override: contextvars.ContextVar[dict[str, Any] | bool | None]

    @classmethod
    def of(cls, env: str, shipped: Path, what: str) -> WeightsSource:
        var: contextvars.ContextVar[dict[str, Any] | bool | None] = contextvars.ContextVar(
            f"govgraph_{what.replace(' ', '_')}", default=None
        )
        return cls(env, shipped, what, var)

    def active(self) -> ActorDecision | None:
        """The decision in force, or None when disabled or no weights are shipped."""
        override = self._override.get()
        if override is False:
            return None
        if isinstance(override, dict):
            return ActorDecision.from_weights(override, self.what)
        env = os.environ.get(self.env, "").strip()
        if env.lower() == _OFF:
            return None
        path = Path(env) if env else self.shipped
        if not path.exists():
            if env:
                raise ValueError(f"{self.env}={env!r}: no such file")
            return None
        return _from_file(str(path), path.stat().st_mtime, self.what)

    @contextmanager
    def override(self, weights: Mapping[str, Any] | None) -> Iterator[None]:
        """Extract with these weights (``None``: decision disabled) inside the block."""
        if weights is not None:
            ActorDecision.from_weights(weights, self.what)
        token = self._override.set(dict(weights) if weights is not None else False)
        try:
            yield
        finally:
            self._override.reset(token)


@cache
def _from_file(path: str, mtime: float, what: str) -> ActorDecision:
    return ActorDecision.from_weights(load_weights(path, what), what)


ACTOR_WEIGHTS = WeightsSource.of(ENV, SHIPPED, "actor decision")


def active_actor_decision() -> ActorDecision | None:
    """The actor decision in force, or None when disabled or no weights are shipped."""
    return ACTOR_WEIGHTS.active()


def decision_weights(weights: Mapping[str, Any] | None) -> contextlib.AbstractContextManager[None]:
    """Extract with these actor weights (``None``: decision disabled) inside the block."""
    return ACTOR_WEIGHTS.override(weights)
