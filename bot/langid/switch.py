"""Explicit requests to change the conversation language.

"Can we speak English?", "μπορούμε να μιλήσουμε ελληνικά;", "давайте по-русски",
"gal galite lietuviškai?" name a target language that differs from the language the
message is written in. A message that names a language and either is short or carries
a verb of speaking/writing is taken as a request; a negated one ("I don't speak Greek")
is not.
"""
from __future__ import annotations

import re
import unicodedata

# Stems of each language's name, as written in el, ru, lt, en and Greeklish.
_NAMES: dict[str, str] = {
    "en": r"english|αγγλικ|agglik|anglik|англи[йи]ск|angliš|anglis|anglų|anglu",
    "el": r"greek|ελληνικ|ellinik|elinik|ellhnik|греческ|grechesk|graikiš|graikis|graikų|graiku",
    "ru": r"russian|ρωσικ|ρωσσικ|rosik|rwsik|русск|russk|rusiš|rusisk|rusų|rusu\b",
    "lt": r"lithuanian|λιθουαν|lithouan|литовск|litovsk|lietuviš|lietuvis|lietuvių|lietuviu",
}
_NAME_RE = {lang: re.compile(rf"(?<!\w)(?:{stems})", re.IGNORECASE) for lang, stems in _NAMES.items()}

_CUE_RE = re.compile(
    r"(?<!\w)(?:speak|talk|write|switch|continue|answer|reply|respond|chat|please|pls|"
    r"μιλ|μίλ|γράφ|γραφ|απαντ|απάντ|συνεχ|παρακαλ|mil[ai]|graf|grap|apant|synex|parakal|"
    r"говор|пиш|напиш|отвеч|ответ|перейд|перейт|давайте|можно|пожалуйста|"
    r"kalb|raš|rasy|rasi|atsak|tęsk|tesk|galim|prašau|prasau)",
    re.IGNORECASE,
)
_NEGATION_RE = re.compile(
    r"(?<!\w)(?:don'?t|do not|doesn'?t|can'?t|cannot|not|never|δεν|ούτε|den|не|nemoku|nekalb\w*|nesuprant\w*)(?!\w)",
    re.IGNORECASE,
)
_SHORT_MESSAGE_WORDS = 5


def requested_language(text: str) -> str | None:
    """The language the customer explicitly asks to switch to, if the message is such a request."""
    # Accents vary ("ρώσικα", "ρωσικά"): match the text with and without them.
    plain = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    named = [lang for lang, pattern in _NAME_RE.items() if pattern.search(text) or pattern.search(plain)]
    if len(named) != 1:
        return None
    if _NEGATION_RE.search(text):
        return None
    words = len(text.split())
    if words <= _SHORT_MESSAGE_WORDS or _CUE_RE.search(text):
        return named[0]
    return None
