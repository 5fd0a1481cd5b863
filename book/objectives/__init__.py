"""The invariance ledger: one module per trust objective, plus the ledger's checks and the frontiers.

Each objective is read as an invariance requirement under a named change to the
data-generating process (the book's own formalisation of the thesis of Binkyte
et al., 2026):

==============  ========================================  ======================================
module          change to the data-generating process      what must stay invariant
==============  ========================================  ======================================
fairness        the sensitive attribute switched           a unit's decision
                (along every path, or the unfair ones)
robustness      a change of environment (mechanisms        the risk; P(Y | features read)
                other than Y's own)
privacy         one training record replaced               the distribution of what is released
explainability  an intervention on a named feature         what the explanation claims
recourse        the recommended action, carried out        the decision it promises, the outcome
==============  ========================================  ======================================

``ledger`` turns each row into a check with a gap (:class:`~book.objectives.ledger.InvarianceCheck`);
``frontiers`` computes the conflicts between rows and utility; ``private_fairness`` measures the
conflict between two rows, fairness under the noise of differential privacy.
"""

__all__: list[str] = []  # a namespace: import the objective modules themselves
