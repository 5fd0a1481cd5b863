"""Companion library of *Invariance Conflicts in Trustworthy AI*.

Modules
-------
scm          discrete structural causal models answered exactly on pgmpy (rungs 1-3, path-specific)
scms         the book's named models, one function per scenario
predictors   exact Bayes-optimal predictors, attached to an SCM as new variables
metrics      population metrics of predictors (accuracy, risk, expectation; fairlearn-compatible group metrics)
invariance   the invariance ledger: each trust objective as an invariance check with a gap
fairness     fairness as invariance to a switched attribute: couplings, invariant predictors, exact LP frontiers
frontier     conflicts as frontiers: every feature subset on accuracy-versus-gap axes
plots        causal graphs and figures in the book's single palette
graphs       an SCM's graph or twin network drawn, with generated alt text
display      figures as outputs with alt text and caption, deterministic PNG bytes
widgets      explorers: live ipywidgets in Jupyter, static frames in the HTML book
exercises    self-checks that explain what went wrong
rungs        chapter 1: the three rungs side by side, and its explorer
ledger       chapter 2: the ledger on the umbrella model, and its explorer
hiring       chapter 3: fairness against accuracy in the hiring model, and its explorer
environments robustness across environments: exact risks, the exhaustive invariance test, the frontier
hospitals    chapter 4: the screening model across hospitals, and its explorer
privacy      a differentially private histogram learner, exact privacy loss, membership-inference attacks
records      chapter 5: repeated privacy experiments on the records model, tables, figures and explorer
explanations exact Shapley values (marginal, conditional, causal), faithfulness and stability
recourse     recourse by enumeration: nearest counterfactual versus minimal causal intervention
loans        chapter 6: explanations and recourse for a refused loan applicant, and its explorer
"""

__version__ = "0.1.0"
