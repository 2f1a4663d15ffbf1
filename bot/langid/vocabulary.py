"""Common English words, so that the short-word lexicons do not claim them.

The Greeklish and transliterated-Russian lexicons and the trigram model know a few
hundred words each; "salary", "politics" or "british" look like any of them. The English
vocabulary is spaCy's English word probabilities (spacy-lookups-data, installed with
spaCy's lookups) cut to words of ``MIN_LENGTH`` letters or more with a log probability of
``MIN_LOG_PROBABILITY`` or more: about 18,000 words, none of them common Greeklish,
transliterated Russian or Lithuanian without diacritics (their log probabilities in
English text are under -16). Shorter words ("den", "na", "ne", "to") are shared between
the languages and are left to the lexicons.

The list is kept in ``lexicon/en_vocabulary.txt``; regenerate it after upgrading
spacy-lookups-data::

    python -m bot.langid.vocabulary
"""
from __future__ import annotations

import gzip
import json
import os
import re
from pathlib import Path

VOCABULARY = Path(__file__).parent / "lexicon" / "en_vocabulary.txt"
MIN_LENGTH = 4
MIN_LOG_PROBABILITY = -14.0
HEADER = (
    "# Common English words of four letters or more: the entries of spaCy's English word\n"
    "# probabilities (spacy-lookups-data, en_lexeme_prob) with a log probability of -14 or more.\n"
    "# Made by bot.langid.vocabulary; regenerate with: python -m bot.langid.vocabulary\n"
)


def from_lookups() -> list[str]:
    """The vocabulary, computed from spacy-lookups-data."""
    import spacy_lookups_data

    path = os.path.join(os.path.dirname(spacy_lookups_data.__file__), "data", "en_lexeme_prob.json.gz")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        probabilities: dict[str, float] = json.load(handle)
    return sorted(word for word, logp in probabilities.items()
                  if logp >= MIN_LOG_PROBABILITY and len(word) >= MIN_LENGTH and re.fullmatch(r"[a-z]+", word))


def main() -> None:
    words = from_lookups()
    VOCABULARY.write_text(HEADER + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {VOCABULARY}")


if __name__ == "__main__":
    main()
