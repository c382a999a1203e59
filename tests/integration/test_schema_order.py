"""The catalog's schemas list their properties in the order the pack's author wrote them
(the database keeps jsonb, which orders keys by length), so every form reads as written."""

from __future__ import annotations


def test_schemas_come_in_the_pack_files_property_order(svc):
    fields = {f.key: f.schema for f in svc.fields.catalog()}
    assert list(fields["seasonal_menu_cycle"]["properties"]) == ["season_start", "season_end"]
    assert list(fields["current_supplier_contracts"]["properties"]) == ["renewal_date", "exclusivity", "supplier"]
    branches = fields["decision_makers"]["oneOf"]
    assert list(branches[0]["properties"]) == ["count", "has_exec_alignment"]
    assert list(branches[1]["items"]["properties"]) == ["name", "role", "is_exec"]
    feedback = next(k for k in svc.activities.kinds() if k.kind == "PRODUCTTEST_FEEDBACK")
    assert list(feedback.fields_schema["properties"]) == ["sample_id", "rating", "sensory_notes", "menu_fit", "next_step"]
