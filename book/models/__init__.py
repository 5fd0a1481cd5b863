"""The book's scenario models: one module per structural causal model, with its declarations.

Every parameter is a keyword argument with a documented default; the defaults
are the numbers the chapters print. All variables are discrete, so every
population quantity is computed exactly. Beside each model sit the scenario's
declarations (the features a predictor may read, the unfair edges, the
environments, the costs of actions), so a chapter and its tests read them from
one place.

=========  ==========  ====================================================
module     chapter     scenario
=========  ==========  ====================================================
tutoring   1           does tutoring make students pass? (and rung 3)
umbrella   2           every row of the invariance ledger on one model
hiring     3           an allowed path, a proxy and historical label bias
hospitals  4           a lab value, a scanner flag, hospitals as environments
records    5           two causes and many non-causal effects of a diagnosis
loans      6           education, income, debt, repayment, spending
regions    7           the hiring story across regions; causal and anticausal tasks
lending    8           a small minority, an allowed income path, a proxy
atlas      10          every ingredient at once: proxy, label bias, spurious feature, markers
discovery  limits      two causes and an effect of a label, for structure learning
resumes    foundation  the hiring story written as résumés: tokens, a proxy, a source-dependent style
credit     case study  the Statlog credit records: a learned graph, fitted as an SCM
=========  ==========  ====================================================
"""

from book.models.atlas import atlas
from book.models.credit import credit
from book.models.discovery import discovery
from book.models.hiring import hiring
from book.models.hospitals import hospitals, hospitals_reversed
from book.models.lending import lending
from book.models.loans import loans
from book.models.records import records
from book.models.regions import direction_model, regions
from book.models.resumes import resumes
from book.models.tutoring import rung_three_triplet, tutoring
from book.models.umbrella import umbrella

__all__ = ["atlas", "credit", "direction_model", "discovery", "hiring", "hospitals", "hospitals_reversed", "lending",
           "loans", "records", "regions", "resumes", "rung_three_triplet", "tutoring", "umbrella"]
