"""Privacy of learned models: a differentially private learner and membership inference.

Privacy, in the book's ledger, is invariance of the *learned model* to one
training record: the distribution of what training releases may change by at
most a factor :math:`e^{\\varepsilon}` when one record is replaced
(differential privacy, Dwork et al., 2006). This module has the three pieces
a finite-sample privacy experiment needs:

* a **learner**: a histogram (lookup-table) predictor fitted from the counts of
  ``(feature cell, label)`` pairs (:func:`fit_histogram`); with ``epsilon`` it
  releases the counts through the **Laplace mechanism**
  (:func:`laplace_mechanism`), and the predictor is post-processing of the
  noisy counts, so the learner is exactly :math:`\\varepsilon`-DP;
* the **exact privacy loss** of that release between two neighbouring data
  sets, at any output (:func:`privacy_loss`), to check the guarantee itself;
* **membership inference**: the loss-threshold attack of Yeom et al. (2018)
  (:func:`threshold_attack`), its advantage TPR - FPR, the threshold-free
  AUC (:func:`attack_auc`) and the bounds that DP puts on any attack's
  advantage: the tight :math:`(e^{\\varepsilon} - 1) / (e^{\\varepsilon} + 1)`
  of the hypothesis-testing view (:func:`advantage_bound`) and Yeom et al.'s
  looser :math:`e^{\\varepsilon} - 1` (:func:`yeom_bound`).

Neighbouring relation. Two data sets of the same size ``n`` are neighbours when
one record is *replaced* by another (bounded DP; ``n`` is public). Replacing a
record moves one count down and one count up, so the L1 sensitivity of the
full count table is 2 (:data:`SENSITIVITY`). Under add/remove neighbours it
would be 1, and the same noise would give :math:`\\varepsilon / 2`.

Data are arrays: ``X`` is an ``(n, k)`` array of binary features (0/1) and
``y`` an ``(n,)`` array of binary labels. A feature vector is encoded as the
integer whose bits are its features (first feature most significant), its
*cell*; a table over ``k`` features has :math:`2^k` cells.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "MAX_FEATURES",
    "SENSITIVITY",
    "AttackResult",
    "HistogramModel",
    "advantage_bound",
    "attack_auc",
    "best_threshold_advantage",
    "cell_features",
    "cell_probabilities",
    "cells",
    "count_table",
    "fit_histogram",
    "laplace_log_density",
    "laplace_mechanism",
    "privacy_loss",
    "replace_record",
    "rule_attack",
    "shadow_rule",
    "shadow_threshold",
    "threshold_attack",
    "unique_fraction",
    "worst_case_output",
    "yeom_bound",
]

SENSITIVITY = 2.0  # L1 sensitivity of a count table when one record is replaced
MAX_FEATURES = 20  # 2**21 counts: larger tables are a modelling mistake here, not a learner


# ---------------------------------------------------------------------------- inputs
def _check_epsilon(epsilon: float) -> float:
    if isinstance(epsilon, bool) or not isinstance(epsilon, int | float | np.floating) or not epsilon > 0:
        raise ValueError(f"epsilon must be a positive number (or math.inf for no noise), got {epsilon!r}")
    return float(epsilon)


def _check_sensitivity(sensitivity: float) -> float:
    if not (isinstance(sensitivity, int | float) and math.isfinite(sensitivity) and sensitivity > 0):
        raise ValueError(f"sensitivity must be a positive finite number, got {sensitivity!r}")
    return float(sensitivity)


def _as_binary_array(array: np.ndarray, name: str) -> np.ndarray:
    values = np.asarray(array)
    bad = (values != 0) & (values != 1)  # two comparisons: much faster than np.isin on large arrays
    if bad.any():
        raise ValueError(f"{name} must be binary (0/1), found the value {values[bad].flat[0]!r}")
    return values.astype(np.int64, copy=False)


def _features(X: np.ndarray) -> np.ndarray:
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array (records x features), got shape {X.shape}")
    if X.shape[1] > MAX_FEATURES:
        raise ValueError(f"X has {X.shape[1]} features; a count table supports at most {MAX_FEATURES}")
    return _as_binary_array(X, "X")


def cells(X: np.ndarray) -> np.ndarray:
    """The cell of each record: its binary features read as an integer.

    .. math:: \\text{cell}(x) = \\sum_{i=1}^{k} x_i\\, 2^{k - i}

    Examples
    --------
    >>> cells(np.array([[0, 0], [0, 1], [1, 1]])).tolist()
    [0, 1, 3]
    """
    X = _features(X)
    return X @ (1 << np.arange(X.shape[1] - 1, -1, -1, dtype=np.int64))


def count_table(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Counts :math:`n_{x, y}` of every (cell, label) pair: an array of shape ``(2**k, 2)``.

    Raises
    ------
    ValueError
        For an empty training set, non-binary values or mismatched lengths.

    Examples
    --------
    >>> count_table(np.array([[0], [1], [1]]), np.array([0, 1, 1])).tolist()
    [[1, 0], [0, 2]]
    """
    X, y = _features(X), _as_binary_array(y, "y")
    if y.ndim != 1 or len(y) != len(X):
        raise ValueError(f"y must be 1-D with one label per record: {y.shape} labels for {len(X)} records")
    if len(y) == 0:
        raise ValueError("the training set is empty: a count table needs at least one record")
    return np.bincount(cells(X) * 2 + y, minlength=2 ** (X.shape[1] + 1)).reshape(-1, 2)


# ---------------------------------------------------------------------------- the mechanism
def laplace_mechanism(
    counts: np.ndarray, epsilon: float, rng: np.random.Generator, *, sensitivity: float = SENSITIVITY
) -> np.ndarray:
    """Release counts with independent Laplace noise: :math:`\\tilde n = n + \\mathrm{Lap}(\\Delta / \\varepsilon)`.

    For neighbouring count tables (L1 distance at most :math:`\\Delta`) the
    output densities differ by at most a factor :math:`e^{\\varepsilon}` at
    every output: pure :math:`\\varepsilon`-DP (Dwork et al., 2006), exact, not
    a bound with slack. ``epsilon = math.inf`` releases the counts unchanged.

    Examples
    --------
    >>> noisy = laplace_mechanism(np.array([[3, 1]]), 1.0, np.random.default_rng(0))
    >>> noisy.shape
    (1, 2)
    """
    epsilon, sensitivity = _check_epsilon(epsilon), _check_sensitivity(sensitivity)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    counts = np.asarray(counts, dtype=float)
    if math.isinf(epsilon):
        return counts.copy()
    return counts + rng.laplace(0.0, sensitivity / epsilon, size=counts.shape)


def laplace_log_density(
    z: np.ndarray, counts: np.ndarray, epsilon: float, *, sensitivity: float = SENSITIVITY
) -> np.ndarray:
    """Log density of the Laplace mechanism's output ``z`` given the true ``counts``.

    .. math:: \\log p(z \\mid n) = \\sum_c \\left( -\\log 2b - \\frac{|z_c - n_c|}{b} \\right),
              \\qquad b = \\Delta / \\varepsilon

    ``z`` may hold several outputs along its first axis (shape
    ``(m, *counts.shape)``); one log density is returned per output.

    Examples
    --------
    >>> float(laplace_log_density(np.array([0.0]), np.array([0.0]), 2.0, sensitivity=2.0))  # log(1/2)
    -0.6931471805599453
    """
    epsilon, sensitivity = _check_epsilon(epsilon), _check_sensitivity(sensitivity)
    if math.isinf(epsilon):
        raise ValueError("epsilon = inf releases the counts without noise: the output has no density")
    counts = np.asarray(counts, dtype=float)
    z = np.asarray(z, dtype=float)
    if counts.ndim and z.shape[z.ndim - counts.ndim:] != counts.shape:
        raise ValueError(f"outputs of shape {z.shape} do not end with the counts' shape {counts.shape}")
    b = sensitivity / epsilon
    axes = tuple(range(z.ndim - counts.ndim, z.ndim))
    return np.sum(-np.log(2 * b) - np.abs(z - counts) / b, axis=axes)


def privacy_loss(
    z: np.ndarray,
    counts: np.ndarray,
    neighbour_counts: np.ndarray,
    epsilon: float,
    *,
    sensitivity: float = SENSITIVITY,
) -> np.ndarray:
    """The privacy loss :math:`\\log p(z \\mid n) - \\log p(z \\mid n')` at each output ``z``.

    Differential privacy is the promise that this is at most
    :math:`\\varepsilon` in absolute value for every output and every pair of
    neighbouring data sets. For the Laplace mechanism

    .. math:: \\log \\frac{p(z \\mid n)}{p(z \\mid n')} = \\frac{\\varepsilon}{\\Delta}
              \\sum_c \\left(|z_c - n'_c| - |z_c - n_c|\\right)
              \\le \\frac{\\varepsilon}{\\Delta} \\lVert n - n' \\rVert_1

    with equality wherever every :math:`z_c` lies beyond both counts on the
    side of :math:`n_c`, so the bound :math:`\\varepsilon` is attained when the
    neighbours differ by the full sensitivity.

    Examples
    --------
    >>> n, n2 = np.array([5.0, 2.0]), np.array([4.0, 3.0])  # one record moved from cell 0 to 1
    >>> float(privacy_loss(np.array([9.0, -9.0]), n, n2, 1.0)[()])  # beyond both counts: attained
    1.0
    """
    counts, neighbour_counts = np.asarray(counts, dtype=float), np.asarray(neighbour_counts, dtype=float)
    if counts.shape != neighbour_counts.shape or counts.size == 0:
        raise ValueError(
            "counts and neighbour_counts must be non-empty and of one shape: "
            f"{counts.shape} vs {neighbour_counts.shape}"
        )
    epsilon, sensitivity = _check_epsilon(epsilon), _check_sensitivity(sensitivity)
    if math.isinf(epsilon):
        raise ValueError("epsilon = inf releases the counts without noise: the output has no density")
    z = np.asarray(z, dtype=float)
    if z.shape[z.ndim - counts.ndim:] != counts.shape:
        raise ValueError(f"outputs of shape {z.shape} do not end with the counts' shape {counts.shape}")
    # The closed form above, term by term: cells where the neighbours agree contribute exactly 0, so the
    # result does not suffer the cancellation of subtracting two log densities summed over thousands of cells.
    axes = tuple(range(z.ndim - counts.ndim, z.ndim))
    return epsilon / sensitivity * np.sum(np.abs(z - neighbour_counts) - np.abs(z - counts), axis=axes)


def replace_record(
    X: np.ndarray, y: np.ndarray, index: int, x_new: np.ndarray, y_new: int
) -> tuple[np.ndarray, np.ndarray]:
    """The neighbouring data set: record ``index`` replaced by ``(x_new, y_new)``.

    Examples
    --------
    >>> X2, y2 = replace_record(np.array([[0], [1]]), np.array([0, 1]), 0, np.array([1]), 1)
    >>> X2.tolist(), y2.tolist()
    ([[1], [1]], [1, 1])
    """
    X, y = _features(X), _as_binary_array(y, "y")
    if not (isinstance(index, int | np.integer) and 0 <= index < len(X)):
        raise ValueError(f"index {index!r} is not a record of a data set with {len(X)} records")
    x_new = _as_binary_array(np.asarray(x_new).reshape(-1), "x_new")
    if len(x_new) != X.shape[1]:
        raise ValueError(f"x_new has {len(x_new)} features, the records have {X.shape[1]}")
    X2, y2 = X.copy(), y.copy()
    X2[index], y2[index] = x_new, _as_binary_array(np.asarray(y_new), "y_new")
    return X2, y2


def worst_case_output(counts: np.ndarray, neighbour_counts: np.ndarray) -> np.ndarray:
    """An output at which the privacy loss of :func:`privacy_loss` attains its maximum.

    Every count is moved one unit beyond :math:`n_c`, away from :math:`n'_c`
    (cells where the neighbours agree are left at :math:`n_c`; they do not
    contribute): :math:`z = n + \\mathrm{sign}(n - n')`.

    Examples
    --------
    >>> worst_case_output(np.array([5.0, 2.0]), np.array([4.0, 3.0])).tolist()
    [6.0, 1.0]
    """
    counts, neighbour_counts = np.asarray(counts, dtype=float), np.asarray(neighbour_counts, dtype=float)
    if counts.shape != neighbour_counts.shape:
        raise ValueError(f"counts and neighbour_counts differ in shape: {counts.shape} vs {neighbour_counts.shape}")
    return counts + np.sign(counts - neighbour_counts)


# ---------------------------------------------------------------------------- the learner
@dataclass(frozen=True)
class HistogramModel:
    """A lookup-table predictor fitted from (possibly noisy) counts.

    With clipped counts :math:`m_{x, y} = \\max(\\tilde n_{x, y}, 0)`, a prior
    :math:`\\hat\\pi = (\\sum_x m_{x, 1} + 1) / (\\sum_{x, y} m_{x, y} + 2)` and
    smoothing :math:`\\alpha`,

    .. math:: \\hat p(Y = 1 \\mid x) = \\frac{m_{x, 1} + \\alpha \\hat\\pi}{m_{x, 0} + m_{x, 1} + \\alpha}

    so a cell never seen in training gets the prior, and a cell seen once
    mostly repeats its one label: on many features the table *memorises*.
    Everything here is computed from the released counts only (post-processing),
    so the model is as private as the counts.

    Attributes
    ----------
    counts : numpy.ndarray
        The released counts, shape ``(2**k, 2)`` (noisy if ``epsilon`` is finite).
    epsilon : float
        The privacy parameter of the release (``math.inf``: not private).
    alpha : float
        Smoothing towards the prior.
    """

    counts: np.ndarray
    epsilon: float = math.inf
    alpha: float = 1.0

    @property
    def n_features(self) -> int:
        """``k``, the number of features the table reads."""
        return int(np.log2(len(self.counts)))

    @property
    def prior(self) -> float:
        """:math:`\\hat\\pi = (\\sum_x m_{x, 1} + 1) / (\\sum_{x, y} m_{x, y} + 2)`, the score of a cell never seen.

        Examples
        --------
        >>> HistogramModel(np.array([[2.0, 0.0], [-1.0, 1.0]])).prior  # clipped: (1 + 1) / (3 + 2)
        0.4
        """
        m = np.maximum(self.counts, 0.0)
        return float((m[:, 1].sum() + 1.0) / (m.sum() + 2.0))

    def proba(self, X: np.ndarray) -> np.ndarray:
        """:math:`\\hat p(Y = 1 \\mid x)` for each record of ``X``."""
        X = _features(X)
        if X.shape[1] != self.n_features:
            raise ValueError(f"X has {X.shape[1]} features; this model reads {self.n_features}")
        m = np.maximum(self.counts, 0.0)
        seen = m[cells(X)]
        return (seen[:, 1] + self.alpha * self.prior) / (seen.sum(axis=1) + self.alpha)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The label with the larger estimated probability (ties go to 0)."""
        return (self.proba(X) > 0.5).astype(np.int64)

    def loss(self, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Cross-entropy loss :math:`-\\log \\hat p(y \\mid x)` of each record (always finite)."""
        return self.evaluate(X, y)[1]

    def evaluate(self, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Predictions and losses of each record in one pass: ``(predict(X), loss(X, y))``."""
        p = self.proba(X)
        y = _as_binary_array(y, "y")
        if y.shape != p.shape:
            raise ValueError(f"y has shape {y.shape}, expected one label per record {p.shape}")
        return (p > 0.5).astype(np.int64), -np.log(np.where(y == 1, p, 1.0 - p))


def fit_histogram(
    X: np.ndarray,
    y: np.ndarray,
    *,
    epsilon: float = math.inf,
    rng: np.random.Generator | None = None,
    alpha: float = 1.0,
) -> HistogramModel:
    """Fit the histogram predictor, optionally :math:`\\varepsilon`-differentially private.

    Releases the count table of ``(cell, label)`` pairs through
    :func:`laplace_mechanism` with sensitivity 2 (one record replaced) and
    returns the predictor computed from the released counts. The whole
    learner is then exactly :math:`\\varepsilon`-DP with respect to replacing
    one training record; the predictor itself is post-processing.

    Parameters
    ----------
    X : array of shape (n, k)
        Binary features.
    y : array of shape (n,)
        Binary labels.
    epsilon : float
        Privacy parameter; ``math.inf`` (default) fits the exact counts.
    rng : numpy.random.Generator
        Needed when ``epsilon`` is finite.
    alpha : float
        Smoothing towards the prior (positive).

    Examples
    --------
    >>> X, y = np.array([[0], [0], [1]]), np.array([0, 0, 1])
    >>> fit_histogram(X, y).predict(np.array([[0], [1]])).tolist()
    [0, 1]
    >>> fit_histogram(X, y, epsilon=0.5, rng=np.random.default_rng(1)).epsilon
    0.5
    """
    epsilon = _check_epsilon(epsilon)
    if not (isinstance(alpha, int | float) and math.isfinite(alpha) and alpha > 0):
        raise ValueError(f"alpha must be a positive number, got {alpha!r}")
    counts = count_table(X, y).astype(float)
    if math.isfinite(epsilon):
        if rng is None:
            raise ValueError(f"a private fit (epsilon={epsilon!r}) needs an rng for the noise")
        counts = laplace_mechanism(counts, epsilon, rng)
    return HistogramModel(counts, epsilon, float(alpha))


# ---------------------------------------------------------------------------- memorisation
def unique_fraction(X: np.ndarray) -> float:
    """Fraction of records whose feature vector occurs exactly once in ``X``: how memorable records are.

    Examples
    --------
    >>> unique_fraction(np.array([[0, 1], [0, 1], [1, 1]]))
    0.3333333333333333
    """
    if len(X) == 0:
        raise ValueError("unique_fraction needs at least one record")
    _, inverse, counts = np.unique(cells(X), return_inverse=True, return_counts=True)
    return float(np.mean(counts[inverse] == 1))


# ---------------------------------------------------------------------------- membership inference
@dataclass(frozen=True)
class AttackResult:
    """A membership-inference attack's decisions, summarised.

    ``tpr`` is the fraction of members (training records) flagged as members,
    ``fpr`` the fraction of non-members flagged, and the membership advantage
    is :math:`\\mathrm{TPR} - \\mathrm{FPR}` (Yeom et al., 2018): 0 for an
    attacker who learns nothing, 1 for a perfect one. The attack's accuracy on
    a balanced set of members and non-members is :math:`(1 + \\text{advantage}) / 2`.
    """

    tpr: float
    fpr: float
    threshold: float

    @property
    def advantage(self) -> float:
        """:math:`\\mathrm{TPR} - \\mathrm{FPR}`."""
        return self.tpr - self.fpr

    @property
    def balanced_accuracy(self) -> float:
        """Accuracy of the member/non-member guess on a balanced set."""
        return (1.0 + self.advantage) / 2.0


def _losses(values: np.ndarray, name: str) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of losses, got shape {values.shape}")
    if not np.isfinite(values).all():
        raise ValueError(f"{name} contains a non-finite loss")
    return values


def threshold_attack(member_losses: np.ndarray, nonmember_losses: np.ndarray, threshold: float) -> AttackResult:
    """The loss-threshold attack: guess "member" when a record's loss is at most ``threshold``.

    Models fit their training records better than fresh ones, so a low loss
    betrays membership (Yeom et al., 2018; Shokri et al., 2017 learn the
    decision with shadow models). Fix the threshold *without* the target's
    training data, e.g. with :func:`shadow_threshold`; choosing it to separate
    the very members and non-members evaluated here would overstate the attack.

    Examples
    --------
    >>> r = threshold_attack(np.array([0.1, 0.2, 0.9]), np.array([0.5, 0.8, 1.0]), 0.3)
    >>> round(r.tpr, 3), round(r.fpr, 3), round(r.advantage, 3)
    (0.667, 0.0, 0.667)
    """
    members, nonmembers = _losses(member_losses, "member_losses"), _losses(nonmember_losses, "nonmember_losses")
    if not math.isfinite(threshold):
        raise ValueError(f"threshold must be finite, got {threshold!r}")
    return AttackResult(float(np.mean(members <= threshold)), float(np.mean(nonmembers <= threshold)), float(threshold))


def shadow_threshold(shadow: HistogramModel, X_shadow: np.ndarray, y_shadow: np.ndarray) -> float:
    """Yeom's threshold, learned on a shadow model: its average training loss.

    The attacker trains the same learner (same ``epsilon``) on its own sample
    from the same distribution and uses that model's mean loss on its own
    training records as the threshold. The threshold then does not depend on
    the target's training set, so the attack is a fixed rule and
    :func:`advantage_bound` (and the looser :func:`yeom_bound`) applies to it.
    """
    return float(np.mean(shadow.loss(X_shadow, y_shadow)))


def attack_auc(member_losses: np.ndarray, nonmember_losses: np.ndarray) -> float:
    """Area under the attack's ROC curve, with lower loss meaning "member".

    .. math:: \\mathrm{AUC} = P(\\ell_{\\text{member}} < \\ell_{\\text{non-member}})
              + \\tfrac12 P(\\ell_{\\text{member}} = \\ell_{\\text{non-member}})

    (the Mann-Whitney statistic): 0.5 is chance, 1 a perfect attack. It
    summarises every threshold at once, so it needs no threshold rule.

    Examples
    --------
    >>> attack_auc(np.array([0.1, 0.5]), np.array([0.5, 0.9]))
    0.875
    """
    members, nonmembers = _losses(member_losses, "member_losses"), _losses(nonmember_losses, "nonmember_losses")
    order = np.sort(nonmembers)
    below = np.searchsorted(order, members, side="left")  # non-members with a smaller loss
    not_above = np.searchsorted(order, members, side="right")
    greater = len(order) - not_above
    ties = not_above - below
    return float((greater.sum() + 0.5 * ties.sum()) / (len(members) * len(nonmembers)))


def best_threshold_advantage(member_losses: np.ndarray, nonmember_losses: np.ndarray) -> float:
    """The largest advantage over *all* thresholds: an optimistic, after-the-fact number.

    The maximum is picked by looking at the very members and non-members it
    is evaluated on, so it overstates what an attacker with a fixed rule
    achieves (and can exceed :func:`advantage_bound` by sampling noise alone). Use
    it as a diagnostic, not as the attack.

    Examples
    --------
    >>> round(best_threshold_advantage(np.array([0.1, 0.2, 0.9]), np.array([0.5, 0.8, 1.0])), 3)
    0.667
    """
    members, nonmembers = _losses(member_losses, "member_losses"), _losses(nonmember_losses, "nonmember_losses")
    thresholds = np.unique(np.concatenate([members, nonmembers]))
    tpr = np.searchsorted(np.sort(members), thresholds, side="right") / len(members)
    fpr = np.searchsorted(np.sort(nonmembers), thresholds, side="right") / len(nonmembers)
    return float(max(0.0, np.max(tpr - fpr)))


def advantage_bound(epsilon: float) -> float:
    """The largest membership advantage an :math:`\\varepsilon`-DP learner allows, tight in :math:`\\varepsilon`.

    .. math:: \\mathrm{TPR} - \\mathrm{FPR} \\le \\frac{e^{\\varepsilon} - 1}{e^{\\varepsilon} + 1}
              = \\tanh(\\varepsilon / 2)

    **The game.** A training set :math:`S` of ``n`` records is drawn i.i.d.
    from a distribution :math:`\\mathcal D` and the learner releases
    :math:`\\mathcal A(S)`. A fair coin picks the challenge record :math:`z`:
    a uniformly chosen record of :math:`S` (a member) or a fresh draw from
    :math:`\\mathcal D` (a non-member). The attacker sees :math:`\\mathcal A(S)`
    and :math:`z`, knows :math:`\\mathcal D` and the learner, and guesses
    "member" or not; TPR and FPR are the probabilities that it says "member"
    for a member and for a non-member, and its accuracy on this balanced game
    is :math:`(1 + \\mathrm{TPR} - \\mathrm{FPR}) / 2`. :math:`\\mathcal A` is
    :math:`\\varepsilon`-DP for neighbours that *replace* one record.

    **Why.** Write the member case as :math:`S = T \\cup \\{z\\}` and the
    non-member case as :math:`S = T \\cup \\{z'\\}`, with :math:`T` the other
    :math:`n - 1` records and :math:`z'` an independent draw: given
    :math:`(T, z, z')` the two releases come from neighbouring data sets.
    Applied to the attacker's "member" region and to its complement, DP gives
    :math:`\\mathrm{TPR} \\le e^{\\varepsilon} \\mathrm{FPR}` and
    :math:`1 - \\mathrm{FPR} \\le e^{\\varepsilon} (1 - \\mathrm{TPR})` (the
    hypothesis-testing view of DP, Kairouz, Oh and Viswanath, 2015); both are
    linear, so they survive averaging over :math:`(T, z, z')`. The largest
    :math:`\\mathrm{TPR} - \\mathrm{FPR}` under the two is at
    :math:`\\mathrm{FPR} = 1 / (1 + e^{\\varepsilon})`,
    :math:`\\mathrm{TPR} = e^{\\varepsilon} / (1 + e^{\\varepsilon})`. No bound
    that uses :math:`\\varepsilon` alone can be smaller: randomised response
    on one bit is :math:`\\varepsilon`-DP and its two neighbouring outputs are
    told apart with exactly this advantage. Humphries et al. (2020) apply this
    view to membership inference with i.i.d. members and non-members. It is
    below :func:`yeom_bound` for every :math:`\\varepsilon > 0` and below 1 for
    every finite :math:`\\varepsilon`.

    Examples
    --------
    >>> round(advantage_bound(1.0), 4)
    0.4621
    >>> math.isclose(advantage_bound(1.0), (math.e - 1) / (math.e + 1))
    True
    >>> advantage_bound(math.inf)
    1.0
    """
    return math.tanh(_check_epsilon(epsilon) / 2.0)


def yeom_bound(epsilon: float) -> float:
    """A looser bound on the membership advantage of an :math:`\\varepsilon`-DP learner: :math:`e^{\\varepsilon} - 1`.

    Yeom et al. (2018, Theorem 1), for neighbours that replace one record, in
    the game of :func:`advantage_bound`. It exceeds 1, and so says nothing,
    for :math:`\\varepsilon > \\ln 2 \\approx 0.693`; :func:`advantage_bound`
    is smaller for every :math:`\\varepsilon > 0`.

    Examples
    --------
    >>> round(yeom_bound(0.1), 4)
    0.1052
    >>> yeom_bound(math.inf)
    inf
    """
    return math.expm1(_check_epsilon(epsilon))


# ---------------------------------------------------------------------------- attacks on any released statistic
def cell_features(k: int) -> np.ndarray:
    """Every cell of ``k`` binary features as a row of bits: an array of shape ``(2**k, k)``.

    Row ``c`` is the feature vector whose :func:`cells` value is ``c`` (first
    feature most significant).

    Examples
    --------
    >>> cell_features(2).tolist()
    [[0, 0], [0, 1], [1, 0], [1, 1]]
    """
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 0 <= k <= MAX_FEATURES:
        raise ValueError(f"k must be an integer between 0 and {MAX_FEATURES}, got {k!r}")
    return (np.arange(2**k)[:, None] >> np.arange(k - 1, -1, -1)) & 1


def cell_probabilities(model: HistogramModel) -> np.ndarray:
    """:math:`\\hat p(Y = 1 \\mid x)` of every cell of a fitted table, in cell order: shape ``(2**k,)``.

    Post-processing of the released counts, like every other output of the model.

    Examples
    --------
    >>> m = fit_histogram(np.array([[0], [0], [1]]), np.array([0, 0, 1]))
    >>> cell_probabilities(m).round(3).tolist()
    [0.133, 0.7]
    """
    return model.proba(cell_features(model.n_features))


def _scores(values: np.ndarray, name: str) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of scores, got shape {values.shape}")
    if not np.isfinite(values).all():
        raise ValueError(f"{name} contains a non-finite score")
    return values


def shadow_rule(shadow_members: np.ndarray, shadow_nonmembers: np.ndarray) -> tuple[float, int]:
    """The attacker's rule for any released statistic :math:`s`, learned on its own shadow model.

    The attacker fits the same learner on data of its own (the shadow members)
    and draws fresh records (the shadow non-members), computes the released
    statistic for both, and picks the threshold :math:`t` and the side
    :math:`\\sigma \\in \\{+1, -1\\}` that separate them best:

    .. math:: (t, \\sigma) = \\arg\\max_{t, \\sigma}\\;
              \\widehat{\\mathrm{TPR}} - \\widehat{\\mathrm{FPR}}, \\qquad
              \\text{"member"} \\iff \\sigma s \\ge \\sigma t

    (Shokri et al., 2017, learn the decision on shadow models the same way).
    The rule never sees the target's training set, so applied to the target
    (:func:`rule_attack`) it is a fixed test and :func:`advantage_bound`
    applies to it. Ties between rules go to the larger advantage found first:
    side +1, then the smallest threshold.

    Returns
    -------
    (float, int)
        The threshold and the side (+1: a large statistic means "member").

    Examples
    --------
    >>> shadow_rule(np.array([3.0, 4.0, 5.0]), np.array([0.0, 1.0, 3.0]))
    (3.0, 1)
    >>> shadow_rule(np.array([0.0, 1.0]), np.array([2.0, 3.0]))
    (1.0, -1)
    """
    members = _scores(shadow_members, "shadow_members")
    nonmembers = _scores(shadow_nonmembers, "shadow_nonmembers")
    thresholds = np.unique(np.concatenate([members, nonmembers]))
    m, o = np.sort(members), np.sort(nonmembers)
    # side +1: member iff s >= t;  side -1: member iff s <= t
    up = (len(m) - np.searchsorted(m, thresholds, side="left")) / len(m) - (
        len(o) - np.searchsorted(o, thresholds, side="left")) / len(o)
    down = np.searchsorted(m, thresholds, side="right") / len(m) - np.searchsorted(o, thresholds, side="right") / len(o)
    if up.max() >= down.max():
        return float(thresholds[int(np.argmax(up))]), 1
    return float(thresholds[int(np.argmax(down))]), -1


def rule_attack(members: np.ndarray, nonmembers: np.ndarray, rule: tuple[float, int]) -> AttackResult:
    """Apply a fixed rule ``(threshold, side)`` of :func:`shadow_rule` to the target's members and non-members.

    .. math:: \\mathrm{TPR} = P(\\sigma s \\ge \\sigma t \\mid \\text{member}), \\quad
              \\mathrm{FPR} = P(\\sigma s \\ge \\sigma t \\mid \\text{non-member})

    Examples
    --------
    >>> r = rule_attack(np.array([5.0, 6.0, 1.0]), np.array([0.0, 2.0, 4.0]), (4.0, 1))
    >>> round(r.tpr, 3), round(r.fpr, 3)
    (0.667, 0.333)
    """
    threshold, side = rule
    if side not in (1, -1):
        raise ValueError(f"side must be +1 or -1, got {side!r}")
    if not math.isfinite(threshold):
        raise ValueError(f"threshold must be finite, got {threshold!r}")
    m, o = _scores(members, "members"), _scores(nonmembers, "nonmembers")
    return AttackResult(float(np.mean(side * m >= side * threshold)),
                        float(np.mean(side * o >= side * threshold)), float(threshold))
