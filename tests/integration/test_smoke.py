from datetime import date


def test_the_issue_example_runs_as_written(svc, sql_count):
    c = svc.customers.create(name="Kantine Nord", region="NORTH", city="Hamburg")
    page = svc.customers.list(roi_bucket="HIGH", renewal_before=date(2027, 3, 1), limit=50, cursor=None)
    assert page.items == () and page.next_cursor is None
    fs = svc.fields.get(c.id)
    fs = svc.fields.patch(c.id, {"roi_potential": {"bucket": "HIGH", "value": 1800}}, if_match=fs.etag)
    assert fs.values["roi_potential"] == {"bucket": "HIGH", "value": 1800}
    assert [h.key for h in svc.fields.history(c.id, key=None)] == ["roi_potential"]
    s = svc.samples.request(c.id, delivery_date=date(2026, 12, 10))
    assert len(s.items) == 5
    s = svc.samples.set_status(s.id, "PACKED", event_at=None)
    assert s.status == "PACKED"
    a = svc.activities.create(c.id, kind="ROI_CONSULTATION", roi_scenario_id=..., savings_per_month=950,
                              commitment_level="HIGH", outcome="QUALIFIED")
    assert a.kind == "ROI_CONSULTATION"
    listed = svc.activities.list(c.id, kind=None, from_=None, to=None, q=None, limit=50, cursor=None)
    assert [x.id for x in listed.items] == [a.id]
    assert svc.projections.verify() == 0
    assert sql_count("event_outbox", "type = 'shipment.requested'") == 1
