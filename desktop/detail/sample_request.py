"""The sample request dialog: the default kit pre-filled, SKUs from the catalog, a delivery date."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFormLayout, QHeaderView, QLineEdit, QPlainTextEdit,
                               QPushButton, QSpinBox, QTableWidget, QVBoxLayout, QWidget)

from desktop.detail.form_dialog import FormDialog
from desktop.i18n import translate
from desktop.reference import Reference
from desktop.widgets import OptionalDateEdit, button_row
from services.pack import Kit

DEFAULT_LEAD_DAYS = 7


class SampleRequestDialog(FormDialog):
    def __init__(self, reference: Reference, parent: QWidget | None = None):
        super().__init__(
            translate("detail.sample_request", "Request sample"),
            translate("detail.sample_request", "Requesting…"),
            parent,
        )
        self.setObjectName("sampleRequestDialog")
        self.setWindowTitle(translate("detail.sample_request", "Request a sample"))
        self._reference = reference
        self.kit = QComboBox()
        for kit in reference.kits:
            self.kit.addItem(
                kit.name + (translate("detail.sample_request", "  (default)") if kit.is_default else ""), kit.id
            )
        self.kit.setCurrentIndex(max(0, self.kit.findData(reference.default_kit.id)))
        self.kit.currentIndexChanged.connect(lambda _i: self._fill_kit(self._chosen_kit()))

        self.items = QTableWidget(0, 2)
        self.items.setHorizontalHeaderLabels(
            [translate("detail.sample_request", "Product"), translate("detail.sample_request", "Quantity")]
        )
        self.items.verticalHeader().hide()
        self.items.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.items.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.items.setColumnWidth(1, 90)
        self.items.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.items.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        add = QPushButton(translate("detail.sample_request", "Add product"))
        add.clicked.connect(lambda: self.add_line(reference.products[0].sku if reference.products else "", 1))
        remove = QPushButton(translate("detail.sample_request", "Remove"))
        remove.clicked.connect(self._remove_line)
        line_buttons = button_row(add, remove)

        self.delivery_date = OptionalDateEdit()
        self.delivery_date.set_value(date.today() + timedelta(days=DEFAULT_LEAD_DAYS))
        self.delivery_address = QLineEdit(
            placeholderText=translate("detail.sample_request", "Street, postcode, city (optional)")
        )
        self.contact_email = QLineEdit(
            placeholderText=translate("detail.sample_request", "kitchen@example.com (optional)")
        )
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)

        self.request_button = self.submit_button

        form = QFormLayout()
        form.addRow(translate("detail.sample_request", "Kit"), self.kit)
        form.addRow(translate("detail.sample_request", "Delivery date"), self.delivery_date)
        form.addRow(translate("detail.sample_request", "Delivery address"), self.delivery_address)
        form.addRow(translate("detail.sample_request", "Contact e-mail"), self.contact_email)
        form.addRow(translate("detail.sample_request", "Notes"), self.notes)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(self.items, 1)
        layout.addLayout(line_buttons)
        layout.addWidget(self.buttons)
        self.resize(560, 520)
        self._fill_kit(self._chosen_kit())

    def _chosen_kit(self) -> Kit:
        return next(k for k in self._reference.kits if k.id == self.kit.currentData())

    def _fill_kit(self, kit: Kit) -> None:
        self.items.setRowCount(0)
        for sku, quantity in kit.items:
            self.add_line(sku, quantity)

    def add_line(self, sku: str, quantity: int) -> None:
        row = self.items.rowCount()
        self.items.insertRow(row)
        product = QComboBox()
        for p in self._reference.products:
            product.addItem(f"{p.name}  ·  {p.sku}", p.sku)
        product.setCurrentIndex(max(0, product.findData(sku)))
        amount = QSpinBox(minimum=1, maximum=1000)
        amount.setValue(quantity)
        self.items.setCellWidget(row, 0, product)
        self.items.setCellWidget(row, 1, amount)

    def _remove_line(self) -> None:
        row = self.items.currentRow()
        if row >= 0:
            self.items.removeRow(row)

    def lines(self) -> list[tuple[str, int]]:
        return [(self.items.cellWidget(r, 0).currentData(), self.items.cellWidget(r, 1).value())
                for r in range(self.items.rowCount())]

    def request(self) -> dict[str, Any]:
        """Keyword arguments for svc.samples.request (without the customer)."""
        kit = self._chosen_kit()
        lines = self.lines()
        return {
            "items": [{"sku": sku, "quantity": quantity} for sku, quantity in lines],
            "kit_id": kit.id if sorted(lines) == sorted(kit.items) else None,
            "delivery_date": self.delivery_date.value(),
            "delivery_address": self.delivery_address.text().strip() or None,
            "contact_email": self.contact_email.text().strip() or None,
            "notes": self.notes.toPlainText().strip() or None,
        }
