"""Stewardship in the desktop: create and maintain customers, reassign them, bulk edit, undo change
sets, the change-set history. `install(window)` adds the actions, menus and grid editing to the
main window (desktop/stewardship/actions.py)."""

from desktop.stewardship.actions import Stewardship, install

__all__ = ["Stewardship", "install"]
