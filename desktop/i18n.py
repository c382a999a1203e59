"""The desktop in the person's language: Qt's own translation system.

Every text people read goes through `translate("context", "text")` (or `self.tr`), the forms
`pyside6-lupdate` extracts; placeholders are named (`translate(…, "{n} customers").format(n=…)`)
so a translation may put them in its own order. The German lives in resources/i18n/steward_de.ts
(kept by lupdate, written by people) and ships compiled as steward_de.qm beside it.

The language: the one chosen under View → Language & formats… (kept with QSettings), else the
system's (QLocale.system()); English, the language of the source texts, where no translation
exists. The pack's own words (field labels, the codes' words) come from its catalog in the same
language (`language()`).

After adding or changing texts (another window merged, say), update the files and translate
what is new (`<translation type="unfinished">` in the .ts, e.g. with pyside6-linguist):

    .venv/bin/python -m desktop.i18n update      # lupdate over desktop/, then lrelease
    .venv/bin/python -m desktop.i18n check       # lists messages without a finished translation

tests/desktop/test_translations.py fails while a visible text or a message has no German.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

LANGUAGE_KEY = "ui/language"
LANGUAGES = ("de", "en")          # English: the source texts themselves
SOURCE_LANGUAGE = "en"
_HERE = Path(__file__).resolve().parent
_installed: list[QTranslator] = []
_language = SOURCE_LANGUAGE


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """QCoreApplication.translate under a short name lupdate knows."""
    return QCoreApplication.translate(context, text, disambiguation, n)


class Texts(Mapping[str, str]):
    """A table of source texts (each marked with QT_TRANSLATE_NOOP for lupdate) read in the language
    of the moment: a module's constant is made at import, before the translator is installed."""

    def __init__(self, context: str, texts: Mapping[str, str]):
        self.context, self._texts = context, dict(texts)

    def __getitem__(self, key: str) -> str:
        return translate(self.context, self._texts[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)


def folder() -> Path:
    """resources/i18n: beside the packages in a checkout, inside services/_data in a wheel."""
    from services.paths import resources_dir

    return resources_dir() / "i18n"


def ts_file(language: str = "de") -> Path:
    return _HERE.parent / "resources" / "i18n" / f"steward_{language}.ts"


def stored() -> str | None:
    """The language chosen in the preferences (None: the system's)."""
    return str(QSettings().value(LANGUAGE_KEY) or "") or None


def store(language: str | None) -> None:
    QSettings().setValue(LANGUAGE_KEY, language or "")


def system_language() -> str:
    return QLocale.system().name().split("_")[0]


def chosen(language: str | None = None) -> str:
    """The language to show: asked for, else chosen, else the system's, else English."""
    wanted = language or stored() or system_language()
    return wanted if wanted in LANGUAGES else SOURCE_LANGUAGE


def language() -> str:
    """The language the desktop shows now ("de", "en")."""
    return _language


def install(language: str | None = None, app: QCoreApplication | None = None) -> str:
    """Install the translators for the language (Steward's and Qt's own, for its standard buttons);
    returns the language in effect. Call before building windows: texts are read when made."""
    global _language
    app = app or QCoreApplication.instance()
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    _language = chosen(language)
    if _language == SOURCE_LANGUAGE:
        return _language
    ours = QTranslator(app)
    if not ours.load(f"steward_{_language}", str(folder())):
        _language = SOURCE_LANGUAGE        # no translation shipped: the source texts
        return _language
    app.installTranslator(ours)
    _installed.append(ours)
    qt_own = QTranslator(app)
    if qt_own.load(f"qtbase_{_language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    return _language


def _tool(name: str) -> str:
    local = Path(sys.executable).parent / f"pyside6-{name}"
    return str(local) if local.exists() else f"pyside6-{name}"


def update(language: str = "de") -> None:
    """lupdate over every module of desktop/ (obsolete texts dropped), then lrelease."""
    sources = sorted(str(p) for p in _HERE.rglob("*.py"))
    ts = ts_file(language)
    subprocess.run([_tool("lupdate"), "-no-obsolete", "-locations", "none", *sources, "-ts", str(ts)], check=True)
    release(language)


def release(language: str = "de") -> None:
    ts = ts_file(language)
    subprocess.run([_tool("lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)


def unfinished(language: str = "de") -> list[tuple[str, str]]:
    """(context, source) of every message without a finished, non-empty translation."""
    import xml.etree.ElementTree as ET

    missing = []
    for context in ET.parse(ts_file(language)).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            forms = [f.text for f in translation.iter("numerusform")] if translation is not None else []
            texts = forms or [translation.text if translation is not None else None]
            if translation is None or translation.get("type") in ("unfinished", "obsolete", "vanished") \
                    or not all(t and t.strip() for t in texts):
                missing.append((name, message.findtext("source") or ""))
    return missing


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "update"
    if command == "update":
        update()
    elif command == "release":
        release()
    if command in ("update", "check"):
        left = unfinished()
        for context, source in left:
            print(f"untranslated [{context}] {source!r}")
        print(f"{len(left)} message(s) without a German translation")
