"""When two customers are the same: normalised keys, blocking, scores and groups (no database).

Each rule compares customers only inside blocks of a key, so a scan of a million
customers compares a few million pairs, not 10¹²: exact keys (name + city, e-mail,
phone, external reference) pair customers that share the key; the fuzzy name rule
compares names inside a block of the same city and the same first (or last) three
letters of the folded name, with rapidfuzz.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz, process

RULES = ("name_city", "email", "phone", "external_ref", "fuzzy_name")
DEFAULT_RULES = RULES
DEFAULT_THRESHOLD = 90          # fuzzy name similarity, 0–100
LARGEST_BLOCK = 5_000           # names compared in one block at most (a larger block: a key too common)
LARGEST_SHARED = 100            # customers sharing one e-mail, phone or name+city at most (more: a hotline, info@)
CHUNK = 500                     # names of a block compared at a time (a 500 × 5,000 matrix, 10 MB)

# How much each rule says on its own; scores of several rules combine as independent evidence.
WEIGHTS = {"external_ref": 0.99, "email": 0.9, "phone": 0.85, "name_city": 0.95, "fuzzy_name": 0.8}
# How each rule reads for people (the catalog translates them).
RULE_LABELS = {"name_city": "same name and city", "email": "same e-mail", "phone": "same phone",
               "external_ref": "same external reference", "fuzzy_name": "similar name",
               "contacts_differ": "but different contacts"}
# Evidence against: both have phones and e-mails, and none of them agree. Namesakes in one city
# ("Gasthaus Lamm", Berlin, twice) are common; their own contacts tell them apart.
CONTACTS_DIFFER = "contacts_differ"
AGAINST = 0.5                   # the score is halved
MIN_SCORE = 0.6                 # pairs below are not offered

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e", "à": "a"})
# Legal forms as they read once folded (lower case, punctuation gone): "gmbh & co. kg" → "gmbh co kg".
_LEGAL = re.compile(r"\b(gmbh co kg|gmbh co ohg|ug haftungsbeschraenkt|gmbh|mbh|kg|ag|e ?k|ohg|gbr|ug|co|e ?v)\b")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_NOT_DIGIT = re.compile(r"\D")
_SEPARATORS = str.maketrans("", "", " /-()+.\t")


# Cached: a city, a common name ("Gasthaus Lamm") comes thousands of times in a scan.
@functools.lru_cache(maxsize=1 << 16)
def fold(text: str | None) -> str:
    """Lower case, umlauts spelled out (ä → ae, ß → ss), other accents and punctuation gone."""
    if not text:
        return ""
    text = text.lower().translate(_UMLAUTS)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(_NOT_WORD.sub(" ", text).split())


@functools.lru_cache(maxsize=1 << 16)
def core_name(name: str | None) -> str:
    """The folded name without legal forms: "Gasthaus Zur Linde GmbH & Co. KG" → "gasthaus zur linde"."""
    return " ".join(_LEGAL.sub(" ", fold(name).replace(" und ", " ")).split())


def phone_key(phone: str | None) -> str:
    """The national number's digits: +49 30 1234, 0049 (30) 1234, 030/1234 and 030-1234 are one key."""
    if not phone:
        return ""
    digits = phone.translate(_SEPARATORS)        # the usual spaces, slashes, dashes, brackets, dots: fast
    if not digits.isdigit():
        digits = _NOT_DIGIT.sub("", phone)
    if digits.startswith("0049"):
        digits = digits[4:]
    elif digits.startswith("49") and phone.lstrip().startswith("+"):
        digits = digits[2:]
    digits = digits.lstrip("0")
    return digits if len(digits) >= 6 else ""


def email_key(email: str | None) -> str:
    email = (email or "").strip().lower()
    return email if "@" in email else ""


def ref_key(ref: str | None) -> str:
    return _NOT_WORD.sub("", (ref or "").lower())


@dataclass(frozen=True, slots=True)
class Folded:
    """A customer's keys, computed once."""

    index: int
    name: str             # core name
    city: str             # folded city
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    ref: str
    chain_id: str | None
    contacts: tuple[str, ...] = ()     # ids of the contacts linked


def keys_of(i: int, name: str, city: str | None, external_ref: str | None, chain_id: str | None,
            emails: Iterable[str] = (), phones: Iterable[str] = (), contacts: Iterable[str] = ()) -> Folded:
    """A customer's keys: what the scan keeps of it in memory (with the rest of its state about 1.2 kB a
    customer, 250 MB at 200,000: docs/BENCHMARKS.md)."""
    return Folded(i, core_name(name), fold(city), tuple(filter(None, map(email_key, emails))) if emails else (),
                  tuple(filter(None, map(phone_key, phones))) if phones else (), ref_key(external_ref) if external_ref else "",
                  chain_id, tuple(contacts) if contacts else ())


def _blocks(items: Iterable[Folded], keys) -> dict[str, list[int]]:
    blocks: dict[str, list[int]] = defaultdict(list)
    for f in items:
        for key in keys(f):
            if key:
                blocks[key].append(f.index)
    return blocks


def _pairs_in(blocks: dict[str, list[int]]) -> Iterator[tuple[int, int]]:
    for members in blocks.values():
        if 1 < len(members) <= LARGEST_SHARED:
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    a, b = members[x], members[y]
                    yield (a, b) if a < b else (b, a)


def candidate_pairs(items: list[Folded], rules: Iterable[str], threshold: float) -> dict[tuple[int, int], dict[str, float]]:
    """Pairs of indexes with the rules that matched them and each rule's score (0–1)."""
    rules = set(rules)
    found: dict[tuple[int, int], dict[str, float]] = defaultdict(dict)

    def exact(rule: str, keys) -> None:
        if rule in rules:
            for pair in _pairs_in(_blocks(items, keys)):
                found[pair][rule] = WEIGHTS[rule]

    exact("name_city", lambda f: [f"{f.name}|{f.city}"] if f.name and f.city else [])
    exact("external_ref", lambda f: [f.ref])
    exact("email", lambda f: f.emails)
    exact("phone", lambda f: f.phones)
    if "fuzzy_name" in rules:
        _fuzzy(items, threshold, found)
    for (a, b), reasons in list(found.items()):
        if "name_city" in reasons:
            reasons.pop("fuzzy_name", None)     # the same name is no more alike for being similar too
        # One contact linked to both (a chain's area manager) is a link, not a sign of the same customer.
        if items[a].contacts and items[b].contacts and set(items[a].contacts) & set(items[b].contacts):
            reasons.pop("email", None)
            reasons.pop("phone", None)
        # Locations of one chain share its head office's phone and e-mail, and their names differ
        # by a street or a district: only the same name in the same city (or reference) pairs them.
        same_chain = items[a].chain_id is not None and items[a].chain_id == items[b].chain_id
        if not reasons or (same_chain and not reasons.keys() & {"name_city", "external_ref"}):
            del found[(a, b)]
            continue
        x, y = items[a], items[b]
        if x.phones and y.phones and x.emails and y.emails and not (set(x.phones) & set(y.phones)
                                                                    or set(x.emails) & set(y.emails)):
            reasons[CONTACTS_DIFFER] = AGAINST
        if combined(reasons) < MIN_SCORE:
            del found[(a, b)]
    return found


def _fuzzy(items: list[Folded], threshold: float, found: dict) -> None:
    def keys(f: Folded) -> list[str]:
        if len(f.name) < 3 or not f.city:
            return []
        return [f"{f.city}|<{f.name[:3]}", f"{f.city}|>{f.name[-3:]}"]

    seen: set[tuple[int, int]] = set()
    for members in _blocks(items, keys).values():
        if not 1 < len(members) <= LARGEST_BLOCK:
            continue
        names = [items[m].name for m in members]
        for start in range(0, len(names), CHUNK):
            scores = process.cdist(names[start:start + CHUNK], names, scorer=fuzz.token_sort_ratio,
                                   score_cutoff=threshold, dtype="uint8", workers=1)
            for x, y in zip(*scores.nonzero()):
                x += start
                if x < y and names[x] != names[y]:      # the same name: name_city says it already
                    a, b = sorted((members[x], members[y]))
                    if (a, b) not in seen and words_agree(items[a].name, items[b].name):
                        seen.add((a, b))
                        found[(a, b)]["fuzzy_name"] = round(WEIGHTS["fuzzy_name"] * float(scores[x - start, y]) / 100, 4)


def words_agree(a: str, b: str) -> bool:
    """Whether each word of one name that the other lacks is a misspelling of one it has (or a
    short filler such as "zur"): "Zur Linde" and "Zur Lindee" agree, "Kaiser Kantine" and
    "Schuster Kantine" do not, however alike the whole strings are."""
    ta, tb = set(a.split()), set(b.split())
    for mine, theirs in ((ta - tb, tb - ta), (tb - ta, ta - tb)):
        for word in mine:
            if len(word) > 3 and max((fuzz.ratio(word, w) for w in theirs), default=0) < 75:
                return False
    return True


def combined(reasons: dict[str, float]) -> float:
    """Scores of several rules as independent evidence, 1 − Π(1 − sᵢ), times the evidence against."""
    rest = 1.0
    for rule, score in reasons.items():
        if rule != CONTACTS_DIFFER:
            rest *= 1 - score
    return round((1 - rest) * reasons.get(CONTACTS_DIFFER, 1.0), 4)


def groups(pairs: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Connected pairs as groups (union-find), each sorted, largest first."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    found: dict[int, list[int]] = defaultdict(list)
    for x in parent:
        found[root(x)].append(x)
    return sorted((sorted(g) for g in found.values()), key=lambda g: (-len(g), g[0]))
