"""The mapping module (services/rules/mapping.py, services/service_layer/mapping.py): cells in
German and ISO forms, declarations checked against a source and the catalog, rows to
customers, contacts and fields or to (row, column, reason); CSV and XLSX read as exported."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.errors import ValidationError
from services.pack import load_pack
from services.rules import mapping as rules
from services.rules.mapping import CellError, Mapping, MappingError
from services.service_layer import mapping as mappings

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "legacy"


@pytest.fixture(scope="module")
def catalog():
    pack = load_pack()
    return rules.CatalogView({f.key: (f.schema, tuple(f.checks), f.derived) for f in pack.fields},
                             tuple(r.code for r in pack.regions), tuple(pack.contact_roles))


@pytest.mark.parametrize("text, number", [("1.800,50", 1800.5), ("1800", 1800), ("2.500", 2500), ("1 800,-", 1800),
                                          ("€ 12,5", 12.5), ("1,234.75", 1234.75), ("1800.5", 1800.5), ("-3", -3)])
def test_numbers_in_german_and_english(text, number):
    assert rules.parse_number(text) == number


@pytest.mark.parametrize("text, day", [("01.10.2026", "2026-10-01"), ("1.10.26", "2026-10-01"), ("2026-10-01", "2026-10-01"),
                                       ("31.12.99", "1999-12-31"), ("2026-10-01T08:00", "2026-10-01")])
def test_dates_in_german_and_iso(text, day):
    assert rules.parse_date(text) == day


@pytest.mark.parametrize("text", ["31.02.2026", "demnächst", "1.13.2026", ""])
def test_what_is_no_date(text):
    with pytest.raises(CellError):
        rules.parse_date(text)


@pytest.mark.parametrize("text", ["040 1234567", "+49 (40) 123-4567", "0049 40 1234567", "040/1234567",
                                  "(040) 12 34 56 7", "+49401234567"])
def test_phones_become_one_form(text):
    assert rules.parse_phone(text) == "+49401234567"


def test_words_compare_casefolded_with_umlauts_spelt_out():
    assert rules.normalise_word("  SÜD ") == rules.normalise_word("sued") == "sued"
    assert rules.normalise_column("Kunden-Nr.") == "kunden_nr" and rules.normalise_column("ROI €/Monat") == "roi_monat"
    assert rules.parse_boolean("Ja") is True and rules.parse_boolean("x") is True and rules.parse_boolean("nein") is False


def test_a_declaration_with_problems_lists_them_all():
    with pytest.raises(MappingError) as found:
        Mapping.from_dict({"source": {"key": "nr"},
                           "customer": {"name": "firma", "shoe_size": "x", "city": {"column": "ort", "type": "colour"}},
                           "contact": [{"full_name": "name", "nickname": "x"}],
                           "fields": {"covers_per_day": {"typo": 1, "column": "n"}}})
    problems = " | ".join(found.value.problems)
    for expected in ("customer.shoe_size", "type 'colour'", "contact.0.nickname", "unknown setting(s) typo"):
        assert expected in problems


def test_a_mapping_is_checked_against_the_source_and_the_catalog(catalog):
    m = Mapping.from_dict({"source": {"key": "nr"},
                           "customer": {"name": "firma", "region": {"column": "gebiet", "map": {"Nord": "NOWHERE"}}},
                           "contact": [{"full_name": "name", "roles": ["JANITOR"]}],
                           "fields": {"roi_potential.colour": "x", "sample_status": "s", "nothing": "n",
                                      "covers_per_day": {"column": "n", "type": "date"},
                                      "kitchen_notes": "bem", "kitchen_notes.x": "bem"}})
    problems = " | ".join(rules.check(m, ["nr", "firma", "gebiet", "name", "x", "s", "n"], catalog))
    for expected in ("'NOWHERE' is no region", "'JANITOR' is no contact role", "has no part 'colour'",
                     "'sample_status' is derived", "has no field 'nothing'", "reads date, but the field wants integer",
                     "the source has no column 'bem'", "mapped both whole and by its parts"):
        assert expected in problems, expected


def test_a_row_yields_a_customer_contacts_and_fields_or_its_errors(catalog):
    m = mappings.load_mapping(SAMPLE / "kunden.mapping.toml")
    row = {"kunden_nr": "4711", "firma": "Kantine Nord", "ort": "Kiel", "gebiet": " NORDEN ", "ansprechpartner": "Eva Ek",
           "telefon": "0431/99 88 77", "e_mail": "eva(at)kantine.de", "kuechentyp": "Kantine", "essen_pro_tag": "250",
           "roi_klasse": "A", "roi_monat": "1.800,50", "saison_von": "1.10.26", "saison_bis": "31.12.2026",
           "vertrag_bis": "", "exklusiv": "", "bemerkung": "Kombidämpfer"}
    mapped = rules.apply(m, row, 7, catalog)
    assert mapped.ok and mapped.key == "4711"
    assert mapped.customer == {"name": "Kantine Nord", "city": "Kiel", "region": "NORTH", "external_ref": "legacy:4711"}
    assert mapped.contacts == [{"full_name": "Eva Ek", "phone": "+49431998877", "roles": ["HEAD_CHEF"]}]
    assert mapped.fields["roi_potential"] == {"bucket": "HIGH", "value": 1800.5}
    assert mapped.fields["seasonal_menu_cycle"] == {"season_start": "2026-10-01", "season_end": "2026-12-31"}
    assert [(w.row, w.column) for w in mapped.warnings] == [(7, "e_mail")]   # a bad e-mail is dropped, not fatal

    bad = rules.apply(m, {**row, "essen_pro_tag": "ca. 100", "saison_bis": "30.09.2026", "gebiet": "Atlantis"}, 8, catalog)
    assert not bad.ok
    reasons = {(e.row, e.column): e.reason for e in bad.errors}
    assert reasons[(8, "essen_pro_tag")] == "'ca. 100' is not a number"
    assert reasons[(8, "gebiet")] == "'Atlantis' is none of the known values"
    assert reasons[(8, "saison_bis")] == "must not lie before season_start"     # the catalog's own check, its words


def test_repeated_rows_of_a_key_merge_when_they_agree():
    m = mappings.load_mapping(SAMPLE / "kunden.mapping.toml")
    a = {"kunden_nr": "1", "firma": "X", "strasse": "old"}
    merged, repeats, differing = rules.merge_duplicates(m, [(1, a), (2, {**a, "strasse": "new"})])
    assert merged == (1, a) and repeats == 1 and differing == []          # strasse is not mapped
    assert rules.merge_duplicates(m, [(1, a), (2, {**a, "firma": "Y"})]) == (None, 0, ["firma"])


def test_the_shipped_sample_is_read_as_exported(catalog):
    table = mappings.read_table(SAMPLE / "kunden.csv")
    assert (table.encoding, table.separator) == ("cp1252", ";")
    assert table.columns[:2] == ["kunden_nr", "firma"] and table.headings[0] == "Kunden-Nr." and len(table) > 3000
    m = mappings.load_mapping(SAMPLE / "kunden.mapping.toml")
    assert mappings.check(m, table.columns, catalog) == []
    results = list(mappings.map_rows(m, table, catalog))
    refused = [r for r in results if not r.ok]
    assert 0 < len(refused) < len(results) * 0.03
    assert all(e.row and e.column and e.reason for r in refused for e in r.errors)


def test_utf8_comma_separated_and_xlsx(tmp_path):
    csv = tmp_path / "k.csv"
    csv.write_text("Nr,Firma,Straße\n1,Müller GmbH,Weg 1\n\n2,\"Kantine, Süd\",\n", encoding="utf-8-sig")
    table = mappings.read_table(csv)
    assert (table.encoding, table.separator, table.columns) == ("utf-8-sig", ",", ["nr", "firma", "strasse"])
    assert table.rows[1] == {"nr": "2", "firma": "Kantine, Süd", "strasse": None} and table.row_numbers == [2, 4]
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Nr", "Angelegt am", "Essen"])
    book.active.append([1, datetime(2026, 10, 1), 250.0])
    book.save(tmp_path / "k.xlsx")
    x = mappings.read_table(tmp_path / "k.xlsx")
    assert x.rows == [{"nr": "1", "angelegt_am": "01.10.2026", "essen": "250"}]
    with pytest.raises(ValidationError):
        mappings.read_table(tmp_path / "k.pdf")


def test_a_database_table_is_read_as_text_in_key_order():
    class Result(list):
        def keys(self):
            return ["nr", "when"]

    class Conn:
        def execute(self, statement):
            self.sql = str(statement)
            return Result([(2, None), (10, "2026-10-01")])

    conn = Conn()
    table = mappings.read_table("legacy.kunden", conn=conn)
    assert table.rows == [{"nr": "2", "when": None}, {"nr": "10", "when": "2026-10-01"}]
    assert conn.sql == 'SELECT * FROM "legacy"."kunden"'
    with pytest.raises(ValidationError):
        mappings.read_table('legacy.x"; DROP TABLE users; --', conn=conn)
