"""The sample status workflow."""

from __future__ import annotations

from services.errors import IllegalTransition, ValidationError

REQUESTED, PACKED, SHIPPED, DELIVERED = "REQUESTED", "PACKED", "SHIPPED", "DELIVERED"
FEEDBACK_SUCCESS, FEEDBACK_NEUTRAL, FEEDBACK_FAIL = "FEEDBACK_SUCCESS", "FEEDBACK_NEUTRAL", "FEEDBACK_FAIL"
CANCELED = "CANCELED"

STATUSES = (REQUESTED, PACKED, SHIPPED, DELIVERED, FEEDBACK_SUCCESS, FEEDBACK_NEUTRAL, FEEDBACK_FAIL, CANCELED)
FEEDBACK_STATUSES = (FEEDBACK_SUCCESS, FEEDBACK_NEUTRAL, FEEDBACK_FAIL)
FINAL_STATUSES = (*FEEDBACK_STATUSES, CANCELED)

TRANSITIONS: dict[str, tuple[str, ...]] = {
    REQUESTED: (PACKED, CANCELED),
    PACKED: (SHIPPED, CANCELED),
    SHIPPED: (DELIVERED, CANCELED),
    DELIVERED: FEEDBACK_STATUSES,
    FEEDBACK_SUCCESS: (),
    FEEDBACK_NEUTRAL: (),
    FEEDBACK_FAIL: (),
    CANCELED: (),
}


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
