"""Schema validation messages in words for a person, grouped by the field they concern."""

from __future__ import annotations

import re
from typing import Any

from desktop import display
from desktop.i18n import translate

_RULES = (
    (
        re.compile(r"^'(?P<name>[^']+)' is a required property$"),
        lambda m: translate("editors.problems", "{label} is required").format(label=display.label(m['name'])),
    ),
    (
        re.compile(r"^.+ is greater than the maximum of (?P<n>.+)$"),
        lambda m: translate("editors.problems", "must be at most {value}").format(value=m['n']),
    ),
    (
        re.compile(r"^.+ is less than the minimum of (?P<n>.+)$"),
        lambda m: translate("editors.problems", "must be at least {value}").format(value=m['n']),
    ),
    (re.compile(r"^.+ is too long$"), lambda m: translate("editors.problems", "is too long")),
    (re.compile(r"^.+ is too short$"), lambda m: translate("editors.problems", "must not be empty")),
    (
        re.compile(r"^.+ is not a '(?P<f>date|uuid|email)'$"),
        lambda m: translate("editors.problems", "is not a valid {value}").format(value=m['f']),
    ),
    (re.compile(r"^.+ is not one of .+$"), lambda m: translate("editors.problems", "is not one of the choices")),
    (re.compile(r"^.+ has non-unique elements$"), lambda m: translate("editors.problems", "lists an entry twice")),
    # The service layer's own words (services/rules/validation.py), English as the CLI says them.
    (re.compile(r"^is required$"), lambda m: translate("editors.problems", "is required")),
    (
        re.compile(r"^is not a field of this form$"),
        lambda m: translate("editors.problems", "is not a field of this form"),
    ),
    (
        re.compile(r"^must not lie before (?P<f>.+)$"),
        lambda m: translate("editors.problems", "must not lie before {field}").format(
            field=display.pack_text(display.label(m['f']))
        ),
    ),
)


def sentence(message: str) -> str:
    for pattern, words in _RULES:
        match = pattern.match(message)
        if match:
            return words(match)
    return message


def by_field(errors: dict[str, str], titles: dict[str, str] | None = None) -> dict[str, str]:
    """{'roi_potential.value': '... maximum of 10' } → {'roi_potential': '€ / month: must be at most 10'}."""
    grouped: dict[str, list[str]] = {}
    for path, message in errors.items():
        top, _, rest = path.partition(".")
        part = rest.split(".")[0] if rest else ""
        text = sentence(message)
        if part:
            title = (titles or {}).get(part) or display.label(part)
            # "Bucket is required" reads as a sentence; "€ / month: must be at most 10" needs the colon.
            text = translate("editors.problems", "{title} {text}").format(title=title, text=text) \
                if message.startswith("is ") or text.startswith("is ") else f"{title}: {text}"
        grouped.setdefault(top, []).append(text)
    return {key: "; ".join(texts) for key, texts in grouped.items()}


def property_titles(schema: dict[str, Any]) -> dict[str, str]:
    """The parts' titles of an object, of each oneOf branch and of a list's items (a list of people:
    "Name", "Role", "Executive")."""
    titles: dict[str, str] = {}
    for branch in (schema, *schema.get("oneOf", ())):
        items = branch.get("items")
        for part in (branch, items if isinstance(items, dict) else {}):
            for key, sub in part.get("properties", {}).items():
                titles[key] = sub.get("title") or display.label(key)
    return titles
