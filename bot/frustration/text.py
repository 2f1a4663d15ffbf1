"""Text folding for lexicon matching: case, accents, final sigma, diacritics, Greeklish.

Customers write "απαραδεκτο", "ΑΠΑΡΆΔΕΚΤΟ" and "aparadekto"; "nesąmonė" and
"nesamone"; "ещё" and "еще". Both the lexicon and the message go through ``fold``, so
one stem covers all of them. Greek stems are also kept in a Greeklish skeleton
(``greeklish``) that Latin-script words are compared with.
"""
from __future__ import annotations

import re
import unicodedata

WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
GREEK_RE = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")

_GREEK_DIGRAPHS = (("ου", "9"), ("αι", "e"), ("ει", "i"), ("οι", "i"), ("υι", "i"),
                   ("μπ", "v"), ("ντ", "d"), ("γκ", "g"), ("γγ", "g"))
_GREEK_LETTERS = str.maketrans({
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "8", "ι": "i",
    "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
    "τ": "t", "υ": "i", "φ": "f", "χ": "x", "ψ": "ps", "ω": "o",
})
# Latin spellings of the same sounds, most specific first.
_LATIN_DIGRAPHS = (("th", "8"), ("ch", "x"), ("ks", "x"), ("ou", "9"), ("ai", "e"), ("ei", "i"),
                   ("oi", "i"), ("mp", "v"), ("nt", "d"), ("gk", "g"), ("gg", "g"))
_LATIN_LETTERS = str.maketrans({"y": "i", "w": "o", "3": "x", "u": "i", "b": "v"})
_H_AS_CHI = re.compile(r"h(?=[aeiouyw])")


def fold(text: str) -> str:
    """Lower case, no accents or diacritics, one sigma, ё/й folded like the lexicon."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("’", "'"))
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", bare).replace("ς", "σ")


def words(text: str) -> list[str]:
    """The folded words of a message, in order."""
    return WORD_RE.findall(fold(text))


def is_greek(word: str) -> bool:
    return bool(GREEK_RE.search(word))


def greeklish(word: str) -> str:
    """A skeleton shared by a folded Greek word and its Latin spellings.

    "ξανα" / "ksana" / "3ana" / "xana" -> "xana"; "εχω" / "exw" / "eho" -> "exo".
    """
    if is_greek(word):
        for greek, latin in _GREEK_DIGRAPHS:
            word = word.replace(greek, latin)
        word = word.translate(_GREEK_LETTERS)
        return word
    for latin, skeleton in _LATIN_DIGRAPHS:
        word = word.replace(latin, skeleton)
    word = _H_AS_CHI.sub("x", word).replace("h", "i")
    return word.translate(_LATIN_LETTERS)
