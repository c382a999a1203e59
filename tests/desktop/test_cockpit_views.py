"""The cockpit as a team lead and as a rep sees it: many owners ranked instead of a tangle of lines,
the chosen one highlighted; a rep's own figures; the month not over yet drawn and named as such;
no made-up ticks on an empty axis."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

import services
from desktop import reference as reference_data
from desktop.cockpit import units
from desktop.cockpit.success import LINES, RANKED, partial_period
from desktop.main_window import MainWindow
from services.rules import calendar
from tests.conftest import SESSION
from tests.desktop.conftest import GuardedSteward
from tests.kpis.conftest import Facts, at
from tests.logins import ensure_person

OWNERS = ("Anna Albers", "Ben Brandt", "Cem Celik", "Dora Dietz", "Emil Engel", "Frida Fuchs", "Gero Gruber")


def test_the_month_not_over_yet_is_known_and_named():
    starts = [date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)]
    partial = partial_period(starts, date(2026, 10, 1), date(2026, 12, 31), "month", today=date(2026, 12, 6))
    assert (partial.index, partial.days, partial.length, partial.running) == (2, 6, 31, True)
    assert partial.words(date(2026, 12, 1), "month").endswith("so far (6 of 31 days)")
    assert partial_period(starts, date(2026, 10, 1), date(2026, 12, 31), "month", today=date(2027, 1, 2)) is None


def test_an_axis_without_data_shows_no_ticks():
    axis = units.PercentAxis("left")
    assert axis.tickValues(0, 1, 300) == []                 # before the numbers: nothing, not "0 %, 0 %, 1 %"
    axis.set_empty(False)
    ticks = axis.tickValues(0, 100, 300)
    assert ticks and all(spacing >= 1 for spacing, _values in ticks)
    labels = axis.tickStrings([0.0, 50.0, 100.0], 1, 50)
    assert len(set(labels)) == 3


@pytest.fixture
def team(desk, owner_engine):
    """Seven reps of Nord with feedback this month and last, their team lead, and a rep of theirs."""
    facts, today = Facts(owner_engine), calendar.today()
    this_month, last_month = today.replace(day=1), (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    logins = {}
    for n, name in enumerate(OWNERS):
        login = ensure_person(owner_engine, f"t_o{n}_{SESSION}", role="SALES_REP", region="NORTH", display_name=name)
        logins[name] = login
        customer = desk.raw.customers.create(name=f"Kantine {name}", region="NORTH", owner=login).id
        for k in range(n + 1):                                  # owner n: n+1 feedbacks, success for the first
            facts.sample(customer, "FEEDBACK_SUCCESS" if k <= n // 2 else "FEEDBACK_FAIL", at(last_month + timedelta(days=k)))
        facts.sample(customer, "FEEDBACK_SUCCESS", at(this_month))
    lead = ensure_person(owner_engine, f"t_lead_{SESSION}", role="TEAM_LEAD", region="NORTH", display_name="Lena Lehmann")
    return logins, lead


@pytest.fixture
def cockpit_as(qtbot, desk):
    opened = []

    def make(login: str):
        raw = services.connect(url=desk.url, user=login, source="desktop")
        guarded = GuardedSteward(raw)
        window = MainWindow(guarded, reference_data.load(raw), live=False)
        window.confirm_close = False
        qtbot.addWidget(window)
        window.resize(1920, 1080)
        window.show()
        opened.append((window, raw, guarded))
        window.show_cockpit()
        cockpit = window.cockpit
        filters = cockpit.filters
        filters.preset.setCurrentIndex(filters.preset.findText("Last 90 days"))
        filters.grain.setCurrentIndex(filters.grain.findData("month"))
        filters.apply_now()
        qtbot.waitUntil(lambda: cockpit.query is not None and cockpit.query.grain == "month" and not cockpit.loading
                        and window.runner.active == 0, timeout=20000)
        return window, cockpit

    yield make
    for window, raw, guarded in opened:
        window.shut_down()
        raw.close()
        assert guarded.violations == []


def test_a_team_leads_owners_are_ranked_with_the_chosen_one_drawn(qtbot, team, cockpit_as):
    _logins, lead = team
    window, cockpit = cockpit_as(lead)
    success = cockpit.success
    assert cockpit.query.by == "owner" and success.mode == RANKED
    shown = [success.legend.item(n).text() for n in range(success.legend.count())]
    rates = [success.lines[success.legend.item(n).data(256)].rate for n in range(success.legend.count())]
    assert len(shown) == len(OWNERS) and rates == sorted(rates, reverse=True)
    assert success.legend_title.text().startswith("7 owners by success rate")
    chosen = success.legend.item(0).data(256)
    assert success.lines[chosen].scatter is not None                       # the first is drawn
    assert all(line.scatter is None for label, line in success.lines.items() if label != chosen)
    success.legend.setCurrentRow(3)
    other = success.legend.item(3).data(256)
    assert success.chosen == other and success.lines[other].scatter is not None
    assert success.lines[chosen].scatter is None
    # This month is not over: its point hollow, its tooltip says how much of it is in.
    assert success.partial is not None and success.partial.running
    point = success.lines[other].points[-1]
    words = success.partial_words(point)
    assert words is not None and "so far (" in words and f"of {success.partial.length} days)" in words


def test_a_rep_sees_their_own_figures(qtbot, team, cockpit_as):
    logins, _lead = team
    window, cockpit = cockpit_as(logins["Cem Celik"])
    assert cockpit.query.scope() == {"owner": str(window.reference.actor.user_id)}
    assert cockpit.success.mode == LINES and set(cockpit.success.lines) == {"Cem Celik"}
    assert not cockpit.filters.owner.isVisibleTo(window)
