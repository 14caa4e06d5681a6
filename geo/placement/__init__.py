"""Where to put the next posts: maximal covering (k new posts reaching the most risk-weighted
TPS) and set covering (the fewest new posts reaching every TPS) inside a plan.

- :mod:`geo.placement.solver`: the sparse models, solved with HiGHS;
- :mod:`geo.placement.candidates`: candidate sites (the operation's places, an uploaded list,
  a grid over the areas, minus no-go zones);
- :mod:`geo.placement.suggest`: the suggestion for an operation, its explanation, the curve
  of coverage against the number of posts, and the draft plan made from it.
"""

from geo.placement.candidates import (
    DEFAULT_SOURCES,
    MAX_GRID_POINTS,
    Candidates,
    CandidateSource,
    gather_candidates,
    grid_points,
    grid_spacing_m,
    read_candidate_file,
    upload_summary,
)
from geo.placement.solver import (
    CoverProblem,
    Infeasible,
    MaxCoverModel,
    SolveResult,
    greedy_max_cover,
    solve_set_cover,
)
from geo.placement.suggest import (
    CURVE_POINTS,
    CurvePoint,
    Mode,
    Progress,
    SuggestedPost,
    Suggestion,
    SuggestOptions,
    Unreachable,
    default_grid_m,
    draft_content,
    draft_name,
    save_draft,
    suggest,
)

__all__ = [
    "CURVE_POINTS",
    "DEFAULT_SOURCES",
    "MAX_GRID_POINTS",
    "CandidateSource",
    "Candidates",
    "CoverProblem",
    "CurvePoint",
    "Infeasible",
    "MaxCoverModel",
    "Mode",
    "Progress",
    "SolveResult",
    "SuggestOptions",
    "SuggestedPost",
    "Suggestion",
    "Unreachable",
    "default_grid_m",
    "draft_content",
    "draft_name",
    "gather_candidates",
    "greedy_max_cover",
    "grid_points",
    "grid_spacing_m",
    "read_candidate_file",
    "save_draft",
    "solve_set_cover",
    "suggest",
    "upload_summary",
]
