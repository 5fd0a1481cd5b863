"""Self-checks for the exercises, one module per chapter slug, all re-exported here.

A check recomputes the exact answer through the library and returns
:class:`Feedback` that names the mistake a wrong answer reveals. Import a
chapter's checks from its module (``book.exercises.fairness_accuracy``) or
from here (``from book.exercises import check_forced_fpr``).
"""

from book.exercises.all_at_once import check_no_bias_selection, check_own_selection
from book.exercises.case_study_credit import check_credit_flip_bound, check_young_share
from book.exercises.explainability_accuracy import check_cam_recourse, check_shapley_sum
from book.exercises.fairness_accuracy import check_forced_fpr, check_relabelled_accuracy
from book.exercises.fairness_privacy import check_audit_epsilon, check_empty_cell_approval
from book.exercises.fairness_robustness import check_anticausal_parity, check_faded_parity
from book.exercises.feedback import Feedback, check_number
from book.exercises.foundation_models import check_perfect_proxy_gap, check_uncancelled_sources
from book.exercises.limits import check_declaration_share, check_one_arm_bound
from book.exercises.privacy_explainability import check_explanation_bound, check_island_attribution
from book.exercises.privacy_utility import (
    check_add_remove_sensitivity,
    check_epsilon_for_advantage,
    check_zero_one_advantage,
)
from book.exercises.robustness_accuracy import check_crossing_mismatch, check_direction_features, check_icp_intersection
from book.exercises.seeing_doing_imagining import check_sam_counterfactual, check_tutoring_intervention
from book.exercises.trustworthiness_as_invariance import check_selective_feature_set

__all__ = [
    "Feedback",
    "check_add_remove_sensitivity",
    "check_anticausal_parity",
    "check_audit_epsilon",
    "check_cam_recourse",
    "check_credit_flip_bound",
    "check_crossing_mismatch",
    "check_declaration_share",
    "check_direction_features",
    "check_empty_cell_approval",
    "check_epsilon_for_advantage",
    "check_explanation_bound",
    "check_faded_parity",
    "check_forced_fpr",
    "check_icp_intersection",
    "check_island_attribution",
    "check_no_bias_selection",
    "check_number",
    "check_one_arm_bound",
    "check_own_selection",
    "check_perfect_proxy_gap",
    "check_relabelled_accuracy",
    "check_sam_counterfactual",
    "check_selective_feature_set",
    "check_shapley_sum",
    "check_tutoring_intervention",
    "check_uncancelled_sources",
    "check_young_share",
    "check_zero_one_advantage",
]
