"""The conflict dialog: someone else saved the customer's fields while you were editing.

Per field you changed it shows the value you started from, your value and the
value now in the database, and you choose which to keep. Nothing you typed is
lost: "Keep editing" closes the dialog and leaves your edits in the editor.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QButtonGroup, QDialog, QDialogButtonBox, QFrame, QGridLayout, QLabel, QRadioButton,
                               QScrollArea, QVBoxLayout, QWidget)

from desktop import display
from desktop.i18n import translate

MINE, THEIRS = "mine", "theirs"


class ConflictDialog(QDialog):
    def __init__(self, labels: dict[str, str], original: dict[str, Any], mine: dict[str, Any],
                 theirs: dict[str, Any], parent: QWidget | None = None, *,
                 titles: dict[str, dict[str, str]] | None = None):
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(translate("conflict", "Changed by someone else"))
        self._mine = dict(mine)
        self._groups: dict[str, QButtonGroup] = {}
        both = [k for k in mine if theirs.get(k) != original.get(k)]

        intro = QLabel(
            translate(
                "conflict",
                "<b>Someone else saved this customer's fields while you were editing.</b><br>{overlap_text} Choose, per field, which value to keep. Your values stay in the editor until you decide.",
            ).format(overlap_text=overlap_text(len(both), len(mine)))
        )
        intro.setWordWrap(True)

        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(8)
        for column, title in enumerate(
            (
                translate("conflict", "Field"),
                translate("conflict", "You started from"),
                translate("conflict", "Your value"),
                translate("conflict", "Now saved"),
                translate("conflict", "Keep"),
            )
        ):
            header = QLabel(f"<b>{title}</b>")
            grid.addWidget(header, 0, column)
        for row, key in enumerate(mine, start=1):
            conflicting = key in both
            name = QLabel(("⚠ " if conflicting else "") + labels.get(key, key))
            name.setToolTip(
                translate("conflict", "Changed by you and by someone else")
                if conflicting
                else translate("conflict", "Only you changed this field")
            )
            grid.addWidget(name, row, 0)
            for column, value in enumerate((original.get(key), mine[key], theirs.get(key)), start=1):
                cell = QLabel(display.value_text(value, (titles or {}).get(key)))
                cell.setWordWrap(True)
                cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                cell.setObjectName("conflictValue")
                grid.addWidget(cell, row, column)
            keep_mine = QRadioButton(translate("conflict", "Mine"))
            keep_theirs = QRadioButton(translate("conflict", "Theirs"))
            keep_mine.setObjectName(f"keepMine_{key}")
            keep_theirs.setObjectName(f"keepTheirs_{key}")
            keep_mine.setChecked(True)
            group = QButtonGroup(self)
            group.addButton(keep_mine)
            group.addButton(keep_theirs)
            self._groups[key] = group
            choice = QWidget()
            choice_layout = QVBoxLayout(choice)
            choice_layout.setContentsMargins(0, 0, 0, 0)
            choice_layout.addWidget(keep_mine)
            choice_layout.addWidget(keep_theirs)
            grid.addWidget(choice, row, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(3, 1)

        table = QWidget()
        table.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidget(table)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(
            translate("conflict", "Save my choices"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.keep_editing_button = buttons.addButton(
            translate("conflict", "Keep editing"), QDialogButtonBox.ButtonRole.RejectRole
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(760, min(520, 180 + 70 * len(mine)))

    def choose(self, key: str, which: str) -> None:
        name = f"keepMine_{key}" if which == MINE else f"keepTheirs_{key}"
        self.findChild(QRadioButton, name).setChecked(True)

    def choice(self, key: str) -> str:
        return MINE if self._groups[key].checkedButton().objectName().startswith("keepMine") else THEIRS

    def kept(self) -> dict[str, Any]:
        """Your values for the fields where you keep yours."""
        return {key: value for key, value in self._mine.items() if self.choice(key) == MINE}


def overlap_text(both: int, changed: int) -> str:
    """How many of the fields the person changed someone else changed too, in words that agree in number."""
    if changed == 1:
        return translate("conflict", "The field you changed was changed by them too.")
    if both == changed:
        return translate("conflict", "All {changed} fields you changed were changed by them too.").format(
            changed=changed
        )
    verb = "was" if both == 1 else "were"
    rest = (
        translate("conflict", "the other one")
        if changed - both == 1
        else translate("conflict", "the other {value}").format(value=changed - both)
    )
    return translate(
        "conflict", "{both} of the {changed} fields you changed {verb} changed by them too; {rest} only by you."
    ).format(both=both, changed=changed, verb=verb, rest=rest)
