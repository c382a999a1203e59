"""The detail pane of the selected customer: a header and tabs for fields, samples, activities,
contacts and the field history. A tab loads when it is shown, so browsing the grid with the
arrow keys costs one query per customer, not five."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QSizePolicy, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from desktop import display
from desktop.detail.activities import ActivitiesTab
from desktop.detail.contacts import ContactsTab
from desktop.detail.fields import FieldsTab
from desktop.detail.history import HistoryTab
from desktop.detail.roi import RoiTab
from desktop.detail.samples import SamplesTab
from desktop.i18n import translate
from desktop.reference import Reference
from desktop.widgets import ElidedLabel, column
from desktop.workers import Runner
from services.service_layer.customers import Customer, CustomerRow
from services.service_layer.fields import FieldSet

if TYPE_CHECKING:
    from services.service_layer.facade import Steward


class DetailPane(QWidget):
    dirty_changed = Signal(bool)
    customers_changed = Signal(object)   # frozenset of the customer ids a write here changed

    def __init__(self, runner: Runner, svc: Steward, reference: Reference, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("detailPane")
        self._runner, self._svc, self._reference = runner, svc, reference
        self.customer_id: uuid.UUID | None = None
        self._loaded_tabs: set[int] = set()

        # A long name is cut in the middle (whole in the tooltip): it never widens the pane.
        self.title = ElidedLabel()
        self.title.setObjectName("customerTitle")
        self.subtitle = QLabel()
        self.subtitle.setObjectName("customerSubtitle")
        self.subtitle.setWordWrap(True)
        self.subtitle.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.lock = QLabel()
        self.lock.setObjectName("readOnlyNote")
        self.lock.setWordWrap(True)
        self.lock.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.lock.hide()

        self.fields = FieldsTab(runner, svc, reference)
        self.samples = SamplesTab(runner, svc, reference)
        self.activities = ActivitiesTab(runner, svc, reference)
        self.contacts = ContactsTab(runner, svc, reference)
        self.history = HistoryTab(runner, svc, reference)
        self.roi = RoiTab(runner, svc)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for tab, title in (
            (self.fields, translate("detail.pane", "&Fields")),
            (self.samples, translate("detail.pane", "Sa&mples")),
            (self.activities, translate("detail.pane", "&Activities")),
            (self.contacts, translate("detail.pane", "C&ontacts")),
            (self.roi, translate("detail.pane", "&ROI")),
            (self.history, translate("detail.pane", "&History")),
        ):
            self.tabs.addTab(tab, title)
        self.tabs.currentChanged.connect(self._tab_shown)

        self.fields.dirty_changed.connect(self._dirty_changed)
        self.fields.saved.connect(self._fields_saved)
        self.samples.changed.connect(self._samples_changed)
        self.activities.changed.connect(self._activities_changed)
        self.contacts.changed.connect(lambda cid: self.refresh({cid}))          # the header shows contactability
        self.roi.changed.connect(lambda cid: self._changed(cid, self.tabs.indexOf(self.activities)))
        self.history.changed.connect(lambda cid: self._changed(cid, self.tabs.indexOf(self.fields)))

        content = column(self.title, self.subtitle, self.lock, margins=(12, 10, 12, 8), spacing=4)
        content.layout().addSpacing(4)
        content.layout().addWidget(self.tabs, 1)
        placeholder = QLabel(
            translate("detail.pane", "Select a customer in the grid.\nEnter opens it here; Ctrl+F searches.")
        )
        placeholder.setObjectName("placeholder")
        placeholder.setWordWrap(True)
        placeholder.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.placeholder = placeholder
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(placeholder)
        self.stack.addWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    @property
    def dirty(self) -> bool:
        return self.fields.dirty

    def show_customer(self, row: CustomerRow, *, force: bool = False) -> bool:
        """Open this customer; refused (False) while the open one has unsaved edits."""
        if row.id == self.customer_id and not force:
            return True
        if self.fields.dirty and row.id != self.customer_id:
            return False
        self.customer_id = row.id
        self.stack.setCurrentIndex(1)
        self.title.setText(row.name)
        self._subtitle(row.city, self._reference.regions.get(row.region, row.region), row.owner_name,
                       row.chain_name if not row.is_chain else translate("detail.pane", "Chain"), None)
        writable = getattr(row, "writable", True)
        reason = getattr(row, "read_only_reason", None)
        self.lock.setText(translate("detail.pane", "Read-only for you. {value}").format(value=reason or '').strip())
        self.lock.setToolTip(reason or "")
        self.lock.setVisible(not writable)
        self.fields.set_locked(
            None if writable else (reason or translate("detail.pane", "You may not change this customer."))
        )
        self._loaded_tabs.clear()
        cid = row.id
        self._runner.read(lambda: self._svc.customers.get(cid), done=self._header, owner=self, failed=lambda e: None,
                          label=translate("detail.pane", "Loading the customer…"))
        self._tab_shown(self.tabs.currentIndex())
        return True

    def clear(self) -> None:
        """Show no customer ("Select a customer"), unless the open one has unsaved edits."""
        if self.fields.dirty:
            return
        self.customer_id = None
        self._loaded_tabs.clear()
        self.title.setText("")
        self.subtitle.setText("")
        self.lock.hide()
        self.fields.clear()
        self.stack.setCurrentIndex(0)

    @property
    def showing(self) -> bool:
        """Whether a customer is shown (not the placeholder)."""
        return self.stack.currentIndex() == 1

    def refresh(self, customer_ids: frozenset[uuid.UUID] | set[uuid.UUID] | None = None) -> None:
        """Someone changed these customers (None: anything): re-read the open one's visible tab."""
        if self.customer_id is None or (customer_ids is not None and self.customer_id not in customer_ids):
            return
        self._loaded_tabs.clear()
        if self.fields.dirty:
            # Their values reach the editor when the person saves (and, if needed, chooses).
            self.fields.banner.say(
                translate(
                    "detail.pane", "Someone else changed this customer. Your edits are kept; saving will compare."
                ),
                "warning",
            )
            self._loaded_tabs.add(self.tabs.indexOf(self.fields))
        cid = self.customer_id
        self._runner.read(lambda: self._svc.customers.get(cid), done=self._header, owner=self, failed=lambda e: None,
                          label=translate("detail.pane", "Refreshing the customer…"))
        self._tab_shown(self.tabs.currentIndex())

    def _tab_shown(self, index: int) -> None:
        if self.customer_id is None or index in self._loaded_tabs:
            return
        self._loaded_tabs.add(index)
        self.tabs.widget(index).load(self.customer_id)

    def _header(self, customer: Customer) -> None:
        if customer.id != self.customer_id:
            return
        self.title.setText(customer.name)
        chain = translate("detail.pane", "Chain") if customer.is_chain else customer.chain_name
        reach = None
        if customer.contactability_status != "OK":
            reach = display.human(customer.contactability_status)
            if customer.alternate_channel_required:
                reach += translate("detail.pane", " — use another channel")
        self._subtitle(customer.city, self._reference.regions.get(customer.region, customer.region),
                       customer.owner_name, chain, reach)

    def _subtitle(self, city, region, owner, chain, reach) -> None:
        parts = [
            p
            for p in (
                city,
                region,
                (
                    translate("detail.pane", "Owner: {owner}").format(owner=owner)
                    if owner
                    else translate("detail.pane", "Unassigned")
                ),
                translate("detail.pane", "Chain: {chain}").format(chain=chain) if chain and chain != "Chain" else chain,
            )
            if p
        ]
        text = "  ·  ".join(parts)
        if reach:
            text += f"  ·  ⚠ {reach}"
        self.subtitle.setText(text)

    def _dirty_changed(self, dirty: bool) -> None:
        index = self.tabs.indexOf(self.fields)
        self.tabs.setTabText(
            index, translate("detail.pane", "&Fields ●") if dirty else translate("detail.pane", "&Fields")
        )
        self.dirty_changed.emit(dirty)

    def _fields_saved(self, fieldset: FieldSet) -> None:
        self._changed(fieldset.customer_id, self.tabs.indexOf(self.history))

    def _samples_changed(self, customer_id: uuid.UUID) -> None:
        # A sample's status is a derived field; activities may have met an SLA.
        self._changed(customer_id, self.tabs.indexOf(self.fields), self.tabs.indexOf(self.activities))

    def _activities_changed(self, customer_id: uuid.UUID) -> None:
        # Product-test feedback moves its sample.
        self._changed(customer_id, self.tabs.indexOf(self.fields), self.tabs.indexOf(self.samples))

    def _changed(self, customer_id: uuid.UUID, *stale_tabs: int) -> None:
        if customer_id == self.customer_id:
            for index in stale_tabs:
                self._loaded_tabs.discard(index)
            if self.fields.dirty:
                self._loaded_tabs.add(self.tabs.indexOf(self.fields))
        self.customers_changed.emit(frozenset({customer_id}))
