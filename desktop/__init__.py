"""Steward's desktop: PySide6 screens over the service layer (never the database drivers).

One package per screen (grid/, detail/), the editors generated from JSON schemas
(editors/), and the plumbing every screen shares: workers.py (every service call
off the UI thread), live.py (change notifications), export.py, app.py (start).
"""
