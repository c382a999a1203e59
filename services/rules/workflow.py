"""The sample status workflow, as the domain pack declares it (pack.toml, [sample_workflow]).

The database refuses every other move (steward_internal.transition_sample, from
the same declaration synced into sample_transitions); this module lets a client
offer only the allowed next statuses and explain a refusal without asking.
"""

from __future__ import annotations

from services.errors import IllegalTransition, ValidationError
from services.pack import load_pack

_WORKFLOW = load_pack().sample_workflow

STATUSES: tuple[str, ...] = _WORKFLOW.statuses
TRANSITIONS: dict[str, tuple[str, ...]] = {status: _WORKFLOW.allowed_next(status) for status in STATUSES}
FINAL_STATUSES = tuple(status for status in STATUSES if not TRANSITIONS[status])

# The statuses the B2B-Food pack's own code (its demo data, the cockpit's labels) names.
REQUESTED, PACKED, SHIPPED, DELIVERED = "REQUESTED", "PACKED", "SHIPPED", "DELIVERED"
FEEDBACK_SUCCESS, FEEDBACK_NEUTRAL, FEEDBACK_FAIL = "FEEDBACK_SUCCESS", "FEEDBACK_NEUTRAL", "FEEDBACK_FAIL"
CANCELED = "CANCELED"
FEEDBACK_STATUSES = (FEEDBACK_SUCCESS, FEEDBACK_NEUTRAL, FEEDBACK_FAIL)


def allowed_next(status: str) -> tuple[str, ...]:
    return TRANSITIONS[status]


def check_transition(current: str, new: str) -> None:
    """Raise unless `current → new` is a move of the workflow."""
    if new not in TRANSITIONS:
        raise ValidationError(
            f"'{new}' is not a sample status.", errors={"status": f"must be one of {', '.join(STATUSES)}"}
        )
    allowed = TRANSITIONS[current]
    if new not in allowed:
        choices = ", ".join(allowed) if allowed else "none, the sample is final"
        raise IllegalTransition(
            f"A sample in status {current} cannot move to {new}. Allowed next: {choices}.",
            current=current, allowed=list(allowed),
        )


def feedback_status(outcome: str) -> str:
    """The sample status a product-test outcome (SUCCESS, NEUTRAL, FAIL) leads to."""
    return f"FEEDBACK_{outcome}"
