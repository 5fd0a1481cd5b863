"""Companion library of *Invariance Conflicts in Trustworthy AI*.

Modules
-------
scm          discrete structural causal models answered exactly on pgmpy (rungs 1-3, path-specific)
scms         the book's named models, one function per scenario
predictors   exact Bayes-optimal predictors, attached to an SCM as new variables
metrics      population metrics of predictors (accuracy, risk, expectation)
invariance   the invariance ledger: each trust objective as an invariance check with a gap
frontier     conflicts as frontiers: every feature subset on accuracy-versus-gap axes
plots        causal graphs and figures in the book's single palette
graphs       an SCM's graph or twin network drawn, with generated alt text
display      figures as outputs with alt text and caption, deterministic PNG bytes
widgets      explorers: live ipywidgets in Jupyter, static frames in the HTML book
exercises    self-checks that explain what went wrong
rungs        chapter 1: the three rungs side by side, and its explorer
ledger       chapter 2: the ledger on the umbrella model, and its explorer
privacy      a differentially private histogram learner, exact privacy loss, membership-inference attacks
records      chapter 5: repeated privacy experiments on the records model, tables, figures and explorer
"""

__version__ = "0.1.0"
