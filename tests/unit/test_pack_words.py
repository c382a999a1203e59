"""The pack's words: every text people read has its German, codes read as words, never as codes."""

from services.pack import load_pack
from services.pack.words import Words, humanize


def test_every_text_of_the_pack_has_a_german_translation():
    pack = load_pack()
    assert pack.words.missing(pack.texts(), "de") == []


def test_every_code_people_see_has_words():
    pack = load_pack()
    codes = [*pack.sample_workflow.statuses, *(o for k in pack.activity_kinds for o in k.outcomes)]
    for code in codes:
        assert code in pack.words.codes, f"{code} has no words in [codes]"
        assert pack.words.label(code, language="de") != code


def test_a_context_overrides_and_an_unknown_code_reads_as_words():
    words = Words({"OK": "On track"}, {"contactability": {"OK": "Reachable"}}, {"de": {"Reachable": "Erreichbar"}})
    assert words.label("OK") == "On track"
    assert words.label("OK", "contactability", "de") == "Erreichbar"
    assert words.label("NEW_KIND") == "New kind" == humanize("NEW_KIND")
    assert words.label("OK", language="fr") == "On track"     # no French: English
    assert words.label(None) == ""


def test_the_words_survive_the_database_round_trip():
    pack = load_pack()
    again = Words.from_declaration(pack.words.declaration())
    assert again == pack.words
