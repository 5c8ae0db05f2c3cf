"""The public names of :mod:`configurator.review`, for type checkers and the lazy loader."""

from .audit import (
    AUDIT_CODES as AUDIT_CODES,
    audit_analysis as audit_analysis,
    audit_plan as audit_plan,
)
from .egress import (
    EgressAnalysis as EgressAnalysis,
    egress_from_analysis as egress_from_analysis,
    exit_suggestion as exit_suggestion,
)
from .geometry import PlanAnalysis as PlanAnalysis, analysis_from_plan as analysis_from_plan
from .kpis import (
    PlanKpis as PlanKpis,
    kpis_from_plan as kpis_from_plan,
    rows_from_kpis as rows_from_kpis,
)
from .options import (
    Attempt as Attempt,
    Option as Option,
    attempt_option as attempt_option,
    options_from_case as options_from_case,
    plans_from_case as plans_from_case,
)
from .plan_diff import (
    check_against_programme as check_against_programme,
    compare_plans as compare_plans,
)
from .ranking import KPIS as KPIS, Comparison as Comparison, compare_options as compare_options
from .routes import Route as Route, persona_routes as persona_routes
from .rules import (
    RULE_CODES as RULE_CODES,
    RuleReview as RuleReview,
    review_plan as review_plan,
    review_rules as review_rules,
)
