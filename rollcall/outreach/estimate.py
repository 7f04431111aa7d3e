"""The intention-to-treat estimator: the difference in means between the message arm and the
holdout, by least squares, with standard errors robust to clustering by household (what was
randomised), optionally adjusted for a baseline covariate (prior absence).

``y = a + b·message (+ c·(x − x̄)) + e``; ``b`` is the effect. Its variance is the cluster-robust
sandwich (Liang & Zeger 1986) with the usual small-sample factor ``G/(G−1) · (N−1)/(N−K)``
(Stata's CR1), and the 95% interval is ``b ± 1.96·se``. Without a covariate ``b`` is exactly
the difference of the arms' means.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

Z95 = NormalDist().inv_cdf(0.975)


@dataclass(frozen=True)
class Estimate:
    """An effect (message arm minus holdout), its standard error and 95% interval."""

    effect: float
    se: float
    ci_low: float
    ci_high: float
    message_mean: float
    holdout_mean: float
    n_message: int
    n_holdout: int
    clusters: int
    method: str

    def scaled(self, factor: float) -> Estimate:
        """The same estimate in other units (×100: shares to days per 100 school days)."""
        return Estimate(self.effect * factor, self.se * abs(factor), self.ci_low * factor,
                        self.ci_high * factor, self.message_mean * factor,
                        self.holdout_mean * factor, self.n_message, self.n_holdout,
                        self.clusters, self.method)  # fmt: skip


def itt(
    y: np.ndarray, message: np.ndarray, clusters: np.ndarray, *, baseline: np.ndarray | None = None
) -> Estimate | None:
    """The effect of the message arm on ``y``; None when an arm has no one or there are fewer
    than three households."""
    y = np.asarray(y, dtype=float)
    treated = np.asarray(message, dtype=bool)
    groups = np.asarray(clusters)
    n_message, n_holdout = int(treated.sum()), int((~treated).sum())
    _, codes = np.unique(groups, return_inverse=True)
    count = int(codes.max()) + 1 if len(codes) else 0
    if n_message == 0 or n_holdout == 0 or count < 3:
        return None
    columns = [np.ones_like(y), treated.astype(float)]
    method = "difference in means"
    if baseline is not None:
        x = np.asarray(baseline, dtype=float)
        columns.append(x - x.mean())
        method = "difference in means adjusted for prior absence (least squares)"
    design = np.column_stack(columns)
    n, k = design.shape
    bread = np.linalg.pinv(design.T @ design)
    beta = bread @ design.T @ y
    residual = y - design @ beta
    scores = np.zeros((count, k))
    np.add.at(scores, codes, design * residual[:, None])
    meat = scores.T @ scores
    factor = count / (count - 1) * (n - 1) / max(n - k, 1)
    variance = factor * bread @ meat @ bread
    se = float(np.sqrt(max(variance[1, 1], 0.0)))
    effect = float(beta[1])
    return Estimate(
        effect=effect,
        se=se,
        ci_low=effect - Z95 * se,
        ci_high=effect + Z95 * se,
        message_mean=float(y[treated].mean()),
        holdout_mean=float(y[~treated].mean()),
        n_message=n_message,
        n_holdout=n_holdout,
        clusters=count,
        method=method + ", standard errors clustered by household (CR1), 95% normal interval",
    )
