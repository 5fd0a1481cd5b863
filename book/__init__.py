"""Companion library of *Invariance Conflicts in Trustworthy AI*.

Modules
-------
scm        discrete structural causal models answered exactly on pgmpy
plots      causal graphs and figures in the book's single palette
widgets    explorers: live ipywidgets in Jupyter, static frames in the HTML book
exercises  self-checks that explain what went wrong
"""

__version__ = "0.1.0"
