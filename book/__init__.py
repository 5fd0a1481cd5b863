"""Companion library of *Invariance Conflicts in Trustworthy AI*.

The package's folders are the book's architecture:

===========  ==========================================================================
scm          the exact causal core: :class:`DiscreteSCM` on pgmpy (rungs 1-3, twin
             networks, path-specific switches, seeded sampling)
predictors   deterministic and randomised predictors; the one Bayes-optimal decision
metrics      exact population metrics (accuracy, the 0-1 risk) and sample metrics;
             fairlearn-compatible group metrics
models/      one module per scenario SCM, with its declarations
objectives/  one module per row of the invariance ledger, the ledger's checks, frontiers
viz/         everything drawn or displayed (the only importer of matplotlib and ipywidgets)
chapters/    one module per chapter slug: its tables, figures, alt texts and explorer
exercises/   one module per chapter slug: self-checks that explain a wrong answer
audits       the invariance audit of a reader's own model and predictor (:func:`audit`,
             :func:`select`)
===========  ==========================================================================

The most used names are importable from here::

    import book
    model = book.models.tutoring()
    h = book.bayes_optimal(model, "Pass", ["Tutored"])

Examples
--------
>>> import book
>>> round(book.accuracy(book.attach(book.models.tutoring(), "H",
...       book.bayes_optimal(book.models.tutoring(), "Pass", ["Tutored"])), "H", "Pass"), 3)
0.745
"""

import os as _os

from book import models
from book.metrics import accuracy, expected_risk, risk
from book.predictors import Predictor, RandomizedPredictor, attach, bayes_optimal
from book.scm import TOLERANCE, DiscreteSCM

# The first edition's flat module names (book.scms, book.hiring, ...) live on in book/_legacy/:
# adding that folder to the package path lets `import book.hiring` find them. See CONTRIBUTING.md.
__path__.append(_os.path.join(_os.path.dirname(__file__), "_legacy"))

__version__ = "0.1.0"

# The audit pulls in every objective module: imported when first used, so `import book` stays light.
_LAZY = {"Audit": "book.audits", "audit": "book.audits", "select": "book.audits"}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'book' has no attribute {name!r}")


__all__ = [
    "TOLERANCE",
    "Audit",
    "DiscreteSCM",
    "Predictor",
    "RandomizedPredictor",
    "accuracy",
    "attach",
    "audit",
    "bayes_optimal",
    "expected_risk",
    "models",
    "risk",
    "select",
]
