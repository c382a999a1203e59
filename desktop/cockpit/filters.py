"""The cockpit's filters: period (presets or from–to), week or month, lines by, region, owner, chain.

Only the filters that narrow something for the person's role are offered: a team
lead reads one region, so there is no region picker; a sales rep's customers are
their own, so there is no owner picker. Row-level security does the rest.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStringListModel, QT_TRANSLATE_NOOP, QTimer, Qt, Signal
from PySide6.QtWidgets import QCompleter, QHBoxLayout, QLabel, QLineEdit, QWidget

from desktop.i18n import translate
from desktop.widgets import OptionalDateEdit, compact_combo
from desktop.workers import Runner
from services.service_layer.access import ADMIN, CHAIN_MANAGER, SALES_REP, TEAM_LEAD
from services.service_layer.kpis import parse_period
from services.rules import calendar

if TYPE_CHECKING:
    from services.service_layer.facade import Steward

APPLY_DELAY_MS = 300
CHAIN_SEARCH_ROWS = 60

# (label, written period as parse_period reads it, the grain that suits it)
PRESETS = (
    (QT_TRANSLATE_NOOP("cockpit.filters", "Last 30 days"), "last-30d", "week"),
    (QT_TRANSLATE_NOOP("cockpit.filters", "Last 90 days"), "last-90d", "week"),
    (QT_TRANSLATE_NOOP("cockpit.filters", "This quarter"), "{year}-Q{quarter}", "week"),
    (QT_TRANSLATE_NOOP("cockpit.filters", "This year"), "{year}", "month"),
    (QT_TRANSLATE_NOOP("cockpit.filters", "Last 12 months"), "last-365d", "month"),
)
CUSTOM = QT_TRANSLATE_NOOP("cockpit.filters", "Custom")
GROUPINGS = {
    "region": QT_TRANSLATE_NOOP("cockpit.filters", "Region"),
    "owner": QT_TRANSLATE_NOOP("cockpit.filters", "Owner"),
    "chain": QT_TRANSLATE_NOOP("cockpit.filters", "Chain"),
}
# What each role may narrow by, and which lines it sees first.
PICKERS = {ADMIN: ("region", "owner"), TEAM_LEAD: ("owner",), CHAIN_MANAGER: ("region",), SALES_REP: ()}
# A sales rep's cockpit is their own customers' figures (the owner is them), by owner or chain.
LINES = {ADMIN: ("region", "owner", "chain"), TEAM_LEAD: ("owner", "chain", "region"),
         CHAIN_MANAGER: ("chain", "region"), SALES_REP: ("owner", "chain")}


@dataclass(frozen=True)
class CockpitQuery:
    first: date
    last: date
    grain: str = "week"
    by: str = "region"
    region: str | None = None
    owner: str | None = None         # a user id
    chain_id: str | None = None

    def scope(self) -> dict[str, Any]:
        """The keyword arguments every svc.kpis call narrows by."""
        found = {"region": self.region, "owner": self.owner, "chain_id": self.chain_id}
        return {k: v for k, v in found.items() if v is not None}


def preset_period(written: str, today: date) -> tuple[date, date]:
    text = written.format(year=today.year, quarter=(today.month - 1) // 3 + 1)
    period = parse_period(text, today=today)
    return period.first, period.last


class CockpitFilters(QWidget):
    changed = Signal(object)         # CockpitQuery

    def __init__(self, runner: Runner, svc: Steward, actor: Any, regions: dict[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("cockpitFilters")
        self._timer = QTimer(self, singleShot=True, interval=APPLY_DELAY_MS)
        self._timer.timeout.connect(self.apply_now)
        role = actor.role
        self._own = str(actor.user_id) if role == SALES_REP and actor.user_id else None

        self.preset = compact_combo(10)
        for label, written, grain in PRESETS:
            label = translate("cockpit.filters", label)
            self.preset.addItem(label, (written, grain))
        self.preset.addItem(translate("cockpit.filters", CUSTOM), None)
        self.period_from, self.period_to = OptionalDateEdit(), OptionalDateEdit()
        self.grain = compact_combo(5)
        self.grain.addItem(translate("cockpit.filters", "Week"), "week")
        self.grain.addItem(translate("cockpit.filters", "Month"), "month")
        self.by = compact_combo(6)
        for key in LINES[role]:
            self.by.addItem(translate("cockpit.filters", GROUPINGS[key]), key)
        self.region = compact_combo(8)
        self.region.addItem(translate("cockpit.filters", "All regions"), None)
        for code, name in regions.items():
            self.region.addItem(name, code)
        self.owner = compact_combo(12)
        self.owner.addItem(translate("cockpit.filters", "Anyone"), None)
        self.chain = ChainPicker(runner, svc, actor)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(6)
        self._add(layout, translate("cockpit.filters", "&Period"), self.preset)
        layout.addWidget(self.period_from)
        layout.addWidget(QLabel("–"))
        layout.addWidget(self.period_to)
        self._add(layout, translate("cockpit.filters", "&Grain"), self.grain)
        self._add(layout, translate("cockpit.filters", "&Lines by"), self.by)
        if "region" in PICKERS[role]:
            self._add(layout, translate("cockpit.filters", "Re&gion"), self.region)
        if "owner" in PICKERS[role]:
            self._add(layout, translate("cockpit.filters", "O&wner"), self.owner)
        self._add(layout, translate("cockpit.filters", "C&hain"), self.chain)
        self.tail = QHBoxLayout()      # the view adds its freshness and refresh button here
        layout.addStretch(1)
        layout.addLayout(self.tail)

        self.preset.setCurrentIndex(1)
        self._preset_chosen(apply=False)
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        for edit in (self.period_from, self.period_to):
            edit.value_changed.connect(self._dates_edited)
        for combo in (self.grain, self.by, self.region, self.owner):
            combo.currentIndexChanged.connect(self._soon)
        self.chain.chosen.connect(self._soon)

    @staticmethod
    def _add(layout: QHBoxLayout, title: str, field: QWidget) -> None:
        label = QLabel(title)
        label.setBuddy(field)
        layout.addSpacing(6)
        layout.addWidget(label)
        layout.addWidget(field)

    def query(self) -> CockpitQuery:
        today = calendar.today()
        first, last = self.period_from.value(), self.period_to.value()
        if first is None or last is None:
            first, last = preset_period("last-90d", today)
        return CockpitQuery(first, last, self.grain.currentData(), self.by.currentData(), self.region.currentData(),
                            self.owner.currentData() or self._own, self.chain.chain_id)

    def set_people(self, people: list[Any], actor: Any) -> None:
        """Owner choices: the people who own customers, in the team lead's region only."""
        chosen = self.owner.currentData()
        self.owner.blockSignals(True)
        self.owner.clear()
        self.owner.addItem(translate("cockpit.filters", "Anyone"), None)
        for person in sorted(people, key=lambda p: p.display_name):
            owns = person.active and person.role in (SALES_REP, TEAM_LEAD)
            if owns and (actor.role != TEAM_LEAD or person.region == actor.region):
                self.owner.addItem(person.display_name, str(person.id))
        self.owner.setCurrentIndex(max(0, self.owner.findData(chosen)))
        self.owner.blockSignals(False)

    def apply_now(self) -> None:
        self._timer.stop()
        self.changed.emit(self.query())

    def _soon(self, *_args) -> None:
        self._timer.start()

    def _preset_chosen(self, *_args, apply: bool = True) -> None:
        chosen = self.preset.currentData()
        if chosen is None:          # custom: the dates stay as they are, for editing
            return
        written, grain = chosen
        first, last = preset_period(written, calendar.today())
        for widget in (self.period_from, self.period_to, self.grain):
            widget.blockSignals(True)
        self.period_from.set_value(first)
        self.period_to.set_value(last)
        self.grain.setCurrentIndex(self.grain.findData(grain))
        for widget in (self.period_from, self.period_to, self.grain):
            widget.blockSignals(False)
        if apply:
            self._soon()

    def _dates_edited(self, _value) -> None:
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(self.preset.count() - 1)
        self.preset.blockSignals(False)
        if self.period_from.value() and self.period_to.value():
            self._soon()


class ChainPicker(QLineEdit):
    """Type part of a chain's (or one of its locations') name; the matches come from a worker."""

    chosen = Signal()

    def __init__(self, runner: Runner, svc: Steward, actor: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self._runner, self._svc = runner, svc
        self.chain_id: str | None = None
        self._found: dict[str, str] = {}          # shown name → chain id
        self._asked = 0
        self.setPlaceholderText(translate("cockpit.filters", "All chains — type a name"))
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(190)
        self._model = QStringListModel(self)
        self.completer_ = QCompleter(self._model, self)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(self.completer_)
        self.completer_.activated.connect(self.choose)
        self._timer = QTimer(self, singleShot=True, interval=APPLY_DELAY_MS)
        self._timer.timeout.connect(self._search)
        self.textEdited.connect(self._edited)
        self.editingFinished.connect(lambda: self.choose(self.text().strip()) if self.text().strip() in self._found
                                     else None)
        if actor.role == CHAIN_MANAGER:
            login = actor.login
            self._runner.read(lambda: _own_chains(svc, login), done=self._offer, owner=self,
                              failed=lambda _e: None, label=translate("cockpit.filters", "Loading your chains…"))

    def choose(self, name: str) -> None:
        chain_id = self._found.get(name)
        if chain_id != self.chain_id:
            self.chain_id = chain_id
            self.chosen.emit()

    def _edited(self, text: str) -> None:
        if not text.strip():
            self.choose("")
        elif len(text.strip()) >= 2:
            self._timer.start()

    def _search(self) -> None:
        self._asked += 1
        asked, text = self._asked, self.text().strip()
        self._runner.read(
            lambda: _chains_named(self._svc, text),
            owner=self,
            failed=lambda _e: None,
            done=lambda found: self._offer(found, asked),
            label=translate("cockpit.filters", "Searching chains…"),
        )

    def _offer(self, found: dict[str, str], asked: int | None = None) -> None:
        if asked is not None and asked != self._asked:
            return                   # an answer to what was typed before
        self._found = found
        self._model.setStringList(list(found))
        if found and self.hasFocus():
            self.completer_.complete()


def _chains_named(svc: Steward, text: str) -> dict[str, str]:
    """Worker side: the chains whose name, or whose locations' name or city, matches."""
    rows = svc.customers.list(q=text, limit=CHAIN_SEARCH_ROWS).items
    return _chain_names(rows)


def _own_chains(svc: Steward, login: str) -> dict[str, str]:
    chains = svc.users.get(login).chains
    return _chain_names(svc.customers.list(customer_ids=list(chains), limit=100).items) if chains else {}


def _chain_names(rows) -> dict[str, str]:
    found: dict[uuid.UUID, str] = {}
    for row in rows:
        chain_id = row.id if row.is_chain else row.chain_id
        if chain_id is not None and row.chain_name:
            found.setdefault(chain_id, row.chain_name)
    return {name: str(cid) for cid, name in sorted(found.items(), key=lambda item: item[1].lower())}
