"""The team leads' cockpit: KPI charts (sample success, ROI pipeline, SLA adherence) and focus lists."""

from desktop.cockpit.view import CockpitView

__all__ = ["CockpitView"]
