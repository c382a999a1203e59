"""What people read for the pack's codes and texts, in their language.

The pack declares how each code reads in English ([codes], with [codes_in.<context>]
where one reads differently somewhere) and the German of every text it shows
people ([translations.de], keyed by the English text: field, column and filter
labels, activity kinds, SLA rules, the titles in the schemas, the code words).
The desktop's own texts go through Qt's translation files; these are the pack's.
Pure: no database, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ENGLISH = "en"


@dataclass(frozen=True)
class Words:
    codes: dict[str, str] = field(default_factory=dict)
    contexts: dict[str, dict[str, str]] = field(default_factory=dict)
    translations: dict[str, dict[str, str]] = field(default_factory=dict)   # language → English → text

    def label(self, code: Any, context: str | None = None, language: str = ENGLISH) -> str:
        """'FEEDBACK_SUCCESS' → 'Feedback: success' / 'Rückmeldung: Erfolg'; unknown codes as their words."""
        if code is None:
            return ""
        text = str(code)
        english = (self.contexts.get(context, {}).get(text) if context else None) or self.codes.get(text) \
            or humanize(text)
        return self.text(english, language)

    def text(self, english: str, language: str = ENGLISH) -> str:
        """A text of the pack in `language`; the English one where no translation is given."""
        if language == ENGLISH or not english:
            return english
        return self.translations.get(language, {}).get(english, english)

    def missing(self, texts: set[str], language: str) -> list[str]:
        """The texts that have no translation into `language` (for the translation check)."""
        have = self.translations.get(language, {})
        return sorted(t for t in texts if t and t not in have)

    def declaration(self) -> dict[str, Any]:
        """As the database keeps it (pack_info.words)."""
        return {"codes": self.codes, "contexts": self.contexts, "translations": self.translations}

    @classmethod
    def from_declaration(cls, declared: dict[str, Any] | None) -> "Words":
        declared = declared or {}
        return cls(dict(declared.get("codes") or {}), dict(declared.get("contexts") or {}),
                   dict(declared.get("translations") or {}))


def humanize(code: str) -> str:
    """'HOTEL_KITCHEN' → 'Hotel kitchen'; anything not a code stays as it is."""
    return code.replace("_", " ").capitalize() if code.isupper() else code


def schema_titles(schema: Any) -> set[str]:
    """Every `title` in a JSON schema (the labels of an object's parts)."""
    found: set[str] = set()
    if isinstance(schema, dict):
        if isinstance(schema.get("title"), str):
            found.add(schema["title"])
        for value in schema.values():
            found |= schema_titles(value)
    elif isinstance(schema, list):
        for value in schema:
            found |= schema_titles(value)
    return found
