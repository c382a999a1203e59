"""The activity form: one typed form per kind, built from the type dictionary (fields, outcomes, SLA)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (QComboBox, QDateTimeEdit, QFormLayout, QLabel,
                               QPlainTextEdit, QStackedWidget, QVBoxLayout, QWidget)

from services import formats
from desktop import display
from desktop.editors import Choices, Editor, make_editor
from desktop.editors.problems import by_field, property_titles
from desktop.detail.form_dialog import FormDialog
from desktop.i18n import translate
from desktop.widgets import form_label, show_page
from services.pack import ActivityKind
from services.rules.validation import schema_errors


class _KindForm(QWidget):
    def __init__(self, kind: ActivityKind, choices: Choices):
        super().__init__()
        self.kind = kind
        self.outcome = QComboBox()
        self.outcome.addItem(translate("detail.activity_form", "— choose —"), None)
        for outcome in kind.outcomes:
            self.outcome.addItem(display.human(outcome), outcome)
        self.fields: Editor = make_editor(kind.fields_schema, choices=choices)
        sla = (kind.sla or {}).get("label", "")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(form_label(translate("detail.activity_form", "Outcome *")), self.outcome)
        form.addRow(self.fields.widget)
        if sla:
            hint = QLabel(sla)
            hint.setObjectName("hint")
            form.addRow(form_label("SLA"), hint)


class ActivityDialog(FormDialog):
    def __init__(self, kinds: tuple[ActivityKind, ...], choices: Choices, kind: str | None = None,
                 parent: QWidget | None = None):
        super().__init__(
            translate("detail.activity_form", "Log activity"), translate("detail.activity_form", "Saving…"), parent
        )
        self.setObjectName("activityDialog")
        self.setWindowTitle(translate("detail.activity_form", "Log activity"))
        self.kind = QComboBox()
        self.forms = QStackedWidget()
        self._forms: dict[str, _KindForm] = {}
        for k in kinds:
            self.kind.addItem(k.label, k.kind)
            self._forms[k.kind] = _KindForm(k, choices)
            self.forms.addWidget(self._forms[k.kind])
        self.kind.currentIndexChanged.connect(lambda index: show_page(self.forms, index))
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)) if kind is not None else 0)
        show_page(self.forms, self.kind.currentIndex())
        # The person's wall-clock time, in the program's zone (services.formats), labelled with it.
        now = display.local(datetime.now(formats.current().zone)).replace(tzinfo=None, second=0, microsecond=0)
        self.occurred_at = QDateTimeEdit(QDateTime(now))
        self.occurred_at.setCalendarPopup(True)
        self.occurred_at.setLocale(display.qt_locale())
        self.occurred_at.setDisplayFormat(f"{display.date_edit_format()} HH:mm '{display.zone_name()}'")
        self.occurred_at.setMaximumDateTime(QDateTime(now).addSecs(300))
        self.note = QPlainTextEdit(
            placeholderText=translate("detail.activity_form", "What was said, agreed, promised (optional)")
        )
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)

        self.save_button = self.submit_button

        top = QFormLayout()
        top.addRow(form_label(translate("detail.activity_form", "Kind")), self.kind)
        top.addRow(form_label(translate("detail.activity_form", "When")), self.occurred_at)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(self.forms)
        notes = QFormLayout()
        notes.addRow(form_label(translate("detail.activity_form", "Note")), self.note)
        layout.addLayout(notes)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(540, self.sizeHint().height())

    def current(self) -> _KindForm:
        return self._forms[self.kind.currentData()]

    def activity(self) -> dict[str, Any]:
        """Keyword arguments for svc.activities.create (without the customer)."""
        form = self.current()
        moment = self.occurred_at.dateTime().toPython()
        if isinstance(moment, datetime) and moment.tzinfo is None:
            moment = moment.replace(tzinfo=formats.current().zone)   # what the person typed is their time
        return {"kind": form.kind.kind, "outcome": form.outcome.currentData(), "occurred_at": moment,
                "note": self.note.toPlainText().strip() or None, **(form.fields.value() or {})}

    def problems(self) -> dict[str, str]:
        form = self.current()
        errors = schema_errors(form.kind.fields_schema, form.fields.value() or {}, prefix="")
        problems = by_field({f"fields.{k}" if k else "fields": v for k, v in errors.items()},
                            property_titles(form.kind.fields_schema))
        if form.outcome.currentData() is None:
            problems["outcome"] = translate("detail.activity_form", "Outcome: choose one")
        return problems
