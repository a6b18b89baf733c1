"""Burt's structural-hole measures for every actor at once, on the sparse adjacency matrix.

The same definitions as metrics.burt_constraint / metrics.effective_size (undirected,
unweighted ties, p_ij = 1/deg(i)), written as sparse products instead of a set walk per
pair of contacts:

* effective size: n - 2t/n, t the ties among the actor's n contacts, i.e. half the
  row sum of (A @ A) * A (two-paths i - u - j closed by a tie i - j);
* constraint: c_i = sum over contacts j of (p_i + sum over shared contacts q of
  p_i p_qj)^2 = p_i^2 * sum_j (1 + M_ij)^2 with M = A D^-1 A restricted to ties, which
  expands to p_i^2 * (deg_i + 2 sum_j M_ij + sum_j M_ij^2).

Both are undefined (NaN) for an actor without ties. Values agree with the set versions
to rounding (~1e-15): the sums are taken in another order.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

__all__ = ["structural_holes"]


def structural_holes(a: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """(constraint, effective size) per row of the 0/1 symmetric adjacency ``a`` (no
    self-loops)."""
    deg = np.asarray(a.sum(axis=1)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = np.where(deg > 0, 1.0 / deg, 0.0)
        closed = np.asarray((a @ a).multiply(a).sum(axis=1)).ravel()
        effective = deg - 2 * (closed / 2) / deg
        shared = (a @ sparse.diags(inv) @ a).multiply(a).tocsr()
        first = np.asarray(shared.sum(axis=1)).ravel()
        second = np.asarray(shared.multiply(shared).sum(axis=1)).ravel()
        constraint = inv * inv * (deg + 2 * first + second)
    constraint[deg == 0] = np.nan
    effective[deg == 0] = np.nan
    return constraint, effective
