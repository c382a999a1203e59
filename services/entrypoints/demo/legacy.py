"""A legacy customer table as such tables are: the sample in resources/legacy and the
back-fill benchmark's (`steward bench --only ops`) are made here.

Its quirks, on purpose: regions typed by hand ("Nord", "NORD", "Norden", "Hamburg/Nord",
"Süd", "Sued", "Bayern"), phones in every German notation, German dates and numbers
("01.10.2026", "1.10.26", "1.800,50"), rows entered twice (and a few keys entered twice
with different data), an e-mail now and then that is none ("info(at)…"), an empty name,
a date that does not exist, Windows-1252 and semicolons when written as CSV.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from pathlib import Path

HEADINGS = ("Kunden-Nr.", "Firma", "Straße", "PLZ", "Ort", "Gebiet", "Ansprechpartner", "Funktion", "Telefon",
            "E-Mail", "Küchentyp", "Essen pro Tag", "ROI-Klasse", "ROI €/Monat", "Saison von", "Saison bis",
            "Vertrag bis", "Exklusiv", "Bemerkung", "Angelegt am")
# The column names the headings become (services.rules.mapping.normalise_column).
COLUMNS = ("kunden_nr", "firma", "strasse", "plz", "ort", "gebiet", "ansprechpartner", "funktion", "telefon",
           "e_mail", "kuechentyp", "essen_pro_tag", "roi_klasse", "roi_monat", "saison_von", "saison_bis",
           "vertrag_bis", "exklusiv", "bemerkung", "angelegt_am")

_CITIES = {
    "NORTH": [("Hamburg", "20095", "040"), ("Bremen", "28195", "0421"), ("Kiel", "24103", "0431"),
              ("Hannover", "30159", "0511"), ("Lübeck", "23552", "0451")],
    "SOUTH": [("München", "80331", "089"), ("Nürnberg", "90402", "0911"), ("Augsburg", "86150", "0821"),
              ("Stuttgart", "70173", "0711"), ("Freiburg", "79098", "0761")],
    "EAST": [("Berlin", "10115", "030"), ("Leipzig", "04109", "0341"), ("Dresden", "01067", "0351")],
    "WEST": [("Köln", "50667", "0221"), ("Düsseldorf", "40213", "0211"), ("Dortmund", "44135", "0231")],
    "CENTRAL": [("Frankfurt am Main", "60311", "069"), ("Kassel", "34117", "0561"), ("Erfurt", "99084", "0361")],
}
_REGION_TEXTS = {
    "NORTH": ["Nord", "NORD", "nord", "Norden", "Hamburg/Nord", "N", " Nord "],
    "SOUTH": ["Süd", "SÜD", "Sued", "Süden", "Bayern", "S", "süd"],
    "EAST": ["Ost", "OST", "Osten", "O"],
    "WEST": ["West", "WEST", "Westen", "NRW", "W"],
    "CENTRAL": ["Mitte", "MITTE", "Zentral", "Hessen", "M"],
}
_KINDS = [("Kantine", "Kantine"), ("Restaurant", "Restaurant"), ("Hotel", "Hotelküche"), ("Catering", "Catering"),
          ("Gasthaus", "Restaurant"), ("Betriebsrestaurant", "Kantine"), ("Systemgastronomie", "Systemgastronomie")]
_FIRST = ["Anna", "Jonas", "Marie", "Lukas", "Sophie", "Paul", "Lena", "Felix", "Hannah", "Leon", "Emma", "Ben",
          "Mia", "Elias", "Laura", "Tim", "Jana", "Jan", "Katrin", "Stefan", "Jürgen", "Gülay", "Björn", "Zoë"]
_LAST = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
         "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger",
         "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Krause", "Meier", "Lehmann", "Schmid", "Öztürk"]
_ROLES = ["Küchenchef", "Küchenchefin", "Geschäftsführer", "Geschäftsführerin", "Einkauf", "F&B-Manager", "Inhaber"]
_STREETS = ["Hauptstraße", "Bahnhofstraße", "Gartenweg", "Kirchplatz", "Am Markt", "Industriestraße", "Hafenstraße"]
_NOTES = ["", "", "", "Kombidämpfer vorhanden", "Lieferung nur vormittags", "Interesse an Suppen-Sortiment",
          "Rückruf erbeten", "Probierpaket im Frühjahr", "Neue Küchenleitung seit März"]


def _phone(rng: random.Random, area: str) -> str:
    number = "".join(rng.choice("0123456789") for _ in range(rng.randint(6, 8)))
    style = rng.randrange(6)
    if style == 0:
        return f"{area} {number}"
    if style == 1:
        return f"+49 ({area[1:]}) {number[:3]}-{number[3:]}"
    if style == 2:
        return f"0049 {area[1:]} {number}"
    if style == 3:
        return f"{area}/{number}"
    if style == 4:
        return f"({area}) {' '.join(number[i:i + 2] for i in range(0, len(number), 2))}"
    return f"+49{area[1:]}{number}"


def _date(rng: random.Random, year: int, month: int, day: int) -> str:
    style = rng.randrange(10)
    if style < 6:
        return f"{day:02d}.{month:02d}.{year}"
    if style < 8:
        return f"{day}.{month}.{year % 100:02d}"
    return f"{year}-{month:02d}-{day:02d}"


def _money(rng: random.Random, value: float) -> str:
    style = rng.randrange(4)
    euros, cents = int(value), int(round((value - int(value)) * 100))
    if style == 0:
        return f"{euros:,}".replace(",", ".") + f",{cents:02d}"
    if style == 1:
        return str(euros)
    if style == 2:
        return f"{euros},{cents:02d}"
    return f"{euros:,}".replace(",", ".") + ",-"


def rows(n: int, seed: int = 16) -> Iterator[dict[str, str]]:
    """n distinct customers (plus the repeats and conflicts a legacy table has)."""
    rng = random.Random(seed)
    for i in range(n):
        key = str(100000 + i * 7)
        region = rng.choices(list(_CITIES), weights=[30, 25, 15, 15, 15])[0]
        city, plz, area = rng.choice(_CITIES[region])
        kind, kitchen = rng.choice(_KINDS)
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        season_month = rng.choice([3, 4, 9, 10, 11])
        year = rng.choice([2026, 2027])
        roi_class = rng.choices(["A", "B", "C", ""], weights=[20, 35, 35, 10])[0]
        row = {
            "kunden_nr": key,
            "firma": f"{kind} {last}" if rng.random() < 0.5 else f"{kind} {city} {rng.randint(1, 99)}",
            "strasse": f"{rng.choice(_STREETS)} {rng.randint(1, 120)}",
            "plz": plz,
            "ort": city,
            "gebiet": rng.choice(_REGION_TEXTS[region]),
            "ansprechpartner": f"{first} {last}" if rng.random() < 0.93 else "",
            "funktion": rng.choice(_ROLES),
            "telefon": _phone(rng, area) if rng.random() < 0.9 else "",
            "e_mail": (f"{first.lower()}.{last.lower()}@{kind.lower()}-{city.lower().split()[0]}.de"
                      .translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ë": "e"}))
                      if rng.random() < 0.85 else ""),
            "kuechentyp": kitchen,
            "essen_pro_tag": str(rng.choice([40, 80, 120, 150, 200, 250, 300, 450, 600, 800, 1200])),
            "roi_klasse": roi_class,
            "roi_monat": _money(rng, rng.randint(200, 9000) + rng.choice([0, 0.5, 0.25])) if roi_class else "",
            "saison_von": _date(rng, year, season_month, 1),
            "saison_bis": _date(rng, year, min(season_month + 2, 12), 28),
            "vertrag_bis": _date(rng, rng.choice([2026, 2027, 2028]), rng.randint(1, 12), rng.randint(1, 28))
                           if rng.random() < 0.6 else "",
            "exklusiv": "",
            "bemerkung": rng.choice(_NOTES),
            "angelegt_am": _date(rng, rng.randint(2012, 2024), rng.randint(1, 12), rng.randint(1, 28)),
        }
        if row["vertrag_bis"]:
            row["exklusiv"] = rng.choice(["ja", "nein", "x", "", "Ja", "nein"])
        # The quirks a hand-kept table collects.
        quirk = rng.random()
        if quirk < 0.004:
            row["firma"] = ""                                   # no name: refused
        elif quirk < 0.010:
            row["saison_von"] = "31.02." + str(year)           # no such day: refused
        elif quirk < 0.016:
            row["e_mail"] = row["e_mail"].replace("@", "(at)") or "keine Angabe"   # dropped, with a warning
        elif quirk < 0.020:
            row["essen_pro_tag"] = "ca. 100"                    # not a number: refused
        yield row
        if rng.random() < 0.03:
            yield dict(row)                                     # entered twice
        elif rng.random() < 0.004:
            yield {**row, "ort": row["ort"] + " (neu)", "telefon": ""}   # the same key, other data: refused


def write_csv(path: str | Path, n: int, seed: int = 16, *, encoding: str = "cp1252", separator: str = ";") -> int:
    """The sample as a legacy system exports it: headings in German, Windows-1252, semicolons."""
    path = Path(path)
    count = 0
    with path.open("w", encoding=encoding, newline="", errors="replace") as f:
        writer = csv.writer(f, delimiter=separator)
        writer.writerow(HEADINGS)
        for row in rows(n, seed):
            writer.writerow([row[c] for c in COLUMNS])
            count += 1
    return count
