from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.kb.analysis import greek_fold, greeklish_to_greek, strip_diacritics, terms

REPO = Path(__file__).resolve().parents[3]


def test_importing_the_package_loads_no_language_tools() -> None:
    code = ("import sys, bot.kb, bot.kb.analysis, bot.kb.index, bot.kb.__main__; "
            "print(sorted({'spacy', 'pymorphy3', 'thinc'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_english_lemmas_stop_words_numbers_and_acronyms() -> None:
    assert terms("What is NPS? How do customers' refunds work 24/7?", "en") == [
        "nps", "customer", "refund", "work", "24", "7"]
    assert terms("Time zones and feelings", "en") == ["time", "zone", "feeling"]
    assert terms("Hello, thanks!", "en") == []


def test_lithuanian_with_and_without_diacritics_is_the_same() -> None:
    forms = ["užsakymas", "uzsakymas", "užsakymo", "uzsakymo", "užsakymą", "UŽSAKYMAS"]
    assert {tuple(terms(form, "lt")) for form in forms} == {("uzsakym",)}
    assert terms("Klientų aptarnavimas", "lt") == terms("klientu aptarnavimo", "lt")
    assert terms("pinigų grąžinimas", "lt") == terms("pinigus grazinimo", "lt")
    assert terms("Kas yra NPS?", "lt") == ["nps"]


def test_russian_inflected_forms_share_a_lemma() -> None:
    assert terms("отзывов", "ru") == terms("отзывы", "ru") == terms("отзыв", "ru") == ["отзыв"]
    assert terms("в каком часовом поясе", "ru") == terms("часовые пояса", "ru") == ["часовой", "пояс"]
    assert terms("Что такое NPS?", "ru") == ["nps"]
    assert terms("всё ещё", "ru") == terms("все еще", "ru")


def test_greek_without_accents_in_greeklish_or_inflected_is_the_same() -> None:
    forms = ["Ενσυναίσθηση", "ενσυναισθηση", "ΕΝΣΥΝΑΊΣΘΗΣΗΣ", "enσυναίσθηση", "ensynaisthisi"]
    assert len({tuple(terms(form, "el")) for form in forms}) == 1
    assert terms("Ζώνες ώρας", "el") == terms("ζωνη ωρα", "el") == terms("zwnes wras", "el")
    assert terms("επιστροφή χρημάτων", "el") == terms("epistrofi xrimatwn", "el")
    assert terms("empathia", "el") == terms("εμπάθεια", "el") == terms("empathy", "el")


def test_greek_stop_words_and_latin_acronyms() -> None:
    assert terms("Τι είναι το NPS;", "el") == terms("ti einai to nps", "el") == terms("nps", "el")
    assert len(terms("nps", "el")) == 1
    assert terms("καλησπέρα σας, ευχαριστώ", "el") == []


def test_greeklish_transliteration() -> None:
    assert greeklish_to_greek("thelw") == "θελω"
    assert greeklish_to_greek("psaxnw") == "ψαχνω"
    assert greeklish_to_greek("xrimata") == "χριματα"
    assert greeklish_to_greek("chronos") == "χρονος"
    assert greeklish_to_greek("ksero") == "ξερο"
    assert greeklish_to_greek("pou") == "που"
    assert greeklish_to_greek("enσυναίσθηση") == "ενσυναίσθηση"


def test_folding() -> None:
    assert strip_diacritics("Užsakymą grąžinti") == "Uzsakyma grazinti"
    assert strip_diacritics("είναι") == "ειναι"
    assert greek_fold("Είναι") == greek_fold("ine") == greek_fold("einai")
    assert greek_fold("ώρες") == greek_fold("ορες")


def test_unsupported_language_is_an_error() -> None:
    with pytest.raises(ValueError, match="unsupported language 'de'"):
        terms("Hallo", "de")


def test_greek_verb_forms_meet_their_nouns() -> None:
    assert terms("επικοινωνούμε", "el") == terms("επικοινωνία", "el")
    assert terms("να βελτιώσουμε", "el") == terms("βελτίωση", "el")
    assert terms("βλέπουμε", "el") == terms("βλέπετε", "el")


def test_english_spellings_and_derived_forms_share_a_term() -> None:
    assert terms("authorized", "en") == terms("authorised", "en") == terms("authorisation", "en")
    assert terms("empathetic", "en") == terms("empathy", "en")
    assert terms("personalize", "en") == terms("personalisation", "en")
    assert terms("wise", "en") == ["wise"]


def test_a_greeting_at_the_start_is_not_part_of_the_question() -> None:
    from bot.kb.analysis import strip_greeting

    assert strip_greeting("Laba diena, kas yra CSAT?", "lt") == "kas yra CSAT?"
    assert strip_greeting("Здравствуйте! Что такое NPS?", "ru") == "Что такое NPS?"
    assert strip_greeting("Καλησπέρα σας, τι είναι το NPS;", "el") == "τι είναι το NPS;"
    assert strip_greeting("Hi there, what is CES?", "en") == "what is CES?"
    assert strip_greeting("history of hiring", "en") == "history of hiring"   # only whole words
    assert strip_greeting("labai įdomu", "lt") == "labai įdomu"
