"""Duplicates: the scan's candidates (Customer → Find duplicates…) and the merge dialog."""
