"""One place that imports pgmpy and neutralises its side effects.

pgmpy 1.1.2 emits FutureWarnings from its own modules on import and shows
progress bars (as ipywidgets inside Jupyter) during inference. Both would leak
into the book's stored notebook outputs, so every module of ``book`` imports
pgmpy through here, never directly.
"""

from __future__ import annotations

import warnings

# Filter by module so that warnings raised by *our* code still surface.
warnings.filterwarnings("ignore", category=FutureWarning, module=r"pgmpy(\.|$)")
warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"pgmpy(\.|$)")

with warnings.catch_warnings():
    warnings.simplefilter("ignore", FutureWarning)
    import pgmpy
    from pgmpy.factors.discrete import TabularCPD
    from pgmpy.inference import VariableElimination
    from pgmpy.models import DiscreteBayesianNetwork

pgmpy.config.set_show_progress(False)

__all__ = ["DiscreteBayesianNetwork", "TabularCPD", "VariableElimination", "bayesian_estimator", "score_search",
           "structure_learners"]


def structure_learners() -> tuple[type, type]:
    """pgmpy's ``PC`` and ``GES`` classes, imported on first use.

    ``pgmpy.causal_discovery`` imports scikit-learn and takes about two seconds,
    so it stays out of ``import book``.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        from pgmpy.causal_discovery import GES, PC
    return PC, GES


def score_search() -> tuple[type, type]:
    """pgmpy's ``HillClimbSearch`` and ``ExpertKnowledge`` classes, imported on first use (as above)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        from pgmpy.causal_discovery import ExpertKnowledge, HillClimbSearch
    return HillClimbSearch, ExpertKnowledge


def bayesian_estimator() -> type:
    """pgmpy's ``DiscreteBayesianEstimator`` (parameters of a network from data), imported on first use."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        from pgmpy.parameter_estimator import DiscreteBayesianEstimator
    return DiscreteBayesianEstimator
