"""Importing customer lists: the wizard of File ▸ Import customers… (desktop/imports/wizard.py)."""
