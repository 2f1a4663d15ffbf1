from __future__ import annotations

from bot.langid.detector import load_lexicon
from bot.langid.vocabulary import VOCABULARY, from_lookups


def test_the_english_vocabulary_file_is_what_the_lookups_give() -> None:
    # Regenerate with `python -m bot.langid.vocabulary` after upgrading spacy-lookups-data.
    assert load_lexicon(VOCABULARY) == set(from_lookups())


def test_the_vocabulary_has_common_english_words_and_no_greeklish_or_transliterated_russian() -> None:
    words = load_lexicon(VOCABULARY)
    assert {"salary", "games", "politics", "british", "laboratory", "delivery"} <= words
    assert not {"kalimera", "efxaristo", "parakalo", "spasibo", "privet", "horosho", "aciu", "prasau"} & words
