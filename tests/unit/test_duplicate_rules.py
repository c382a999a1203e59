"""The duplicate rules without a database: normalisation, word agreement, scores, groups, blocking."""

from __future__ import annotations

from services.rules import duplicates as rules


def test_normalisation_folds_what_people_write_differently():
    assert rules.core_name("Gasthaus Zur Linde GmbH & Co. KG") == rules.core_name("gasthaus zur linde")
    assert rules.core_name("Bäckerei Müller e.K.") == rules.core_name("Baeckerei Mueller")
    assert rules.core_name("Straßenküche OHG") == "strassenkueche"
    assert {rules.phone_key(p) for p in ("+49 30 1234567", "0049 (30) 123-4567", "030/1234567", "030 12 34 567")} \
        == {"301234567"}
    assert rules.phone_key("112") == ""
    assert rules.words_agree("gasthaus zur linde", "gasthaus zur lindee")
    assert not rules.words_agree("kaiser kantine berlin", "schuster kantine berlin")


def test_scores_combine_as_evidence_and_contacts_that_differ_halve_them():
    assert rules.combined({"name_city": 0.95}) == 0.95
    assert rules.combined({"name_city": 0.95, "phone": 0.85}) == round(1 - 0.05 * 0.15, 4)
    assert rules.combined({"name_city": 0.95, rules.CONTACTS_DIFFER: 0.5}) < rules.MIN_SCORE


def test_pairs_are_grouped_and_blocks_keep_namesakes_of_other_cities_apart():
    def keys(i, name, city, phones=(), chain=None):
        return rules.keys_of(i, name, city, None, chain, (), phones)

    items = [keys(0, "Gasthaus Zur Linde", "Hamburg", ["+49 40 1234567"]),
             keys(1, "GASTHAUS ZUR LINDE GmbH", "Hamburg"),
             keys(2, "Gasthaus Zur Lindee", "Hamburg"),
             keys(3, "Gasthaus Zur Linde", "Passau"),                 # a namesake elsewhere
             keys(4, "Pizzeria Napoli", "Kiel", ["040/1234567"]),     # the same phone only
             keys(5, "Kochwerk Kiel Hafen", "Kiel", chain="c1"),
             keys(6, "Kochwerk Kiel Hafen", "Kiel", chain="c1"),
             keys(7, "Kochwerk Kiel Messe", "Kiel", chain="c1")]      # another location of the chain
    found = rules.candidate_pairs(items, rules.RULES, rules.DEFAULT_THRESHOLD)
    assert set(found) == {(0, 1), (0, 2), (1, 2), (0, 4), (5, 6)}
    assert found[(0, 1)] == {"name_city": 0.95}
    assert set(found[(0, 4)]) == {"phone"}
    assert rules.groups(found) == [[0, 1, 2, 4], [5, 6]]
    assert set(rules.candidate_pairs(items, ["fuzzy_name"], 90)) == {(0, 2), (1, 2)}
