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
    r"(?<!\w)(?:\w+n['’]?t|do not|cannot|not|never|δεν|ούτε|den|не|nemoku|nekalb\w*|nesuprant\w*|"
    # "I speak Greek badly": a language the customer is weak in is not the one asked for.
    r"bad|badly|poor|poorly|little|κακά|κακα|λίγα|λιγα|плохо|слабо|blogai|prastai|silpnai)(?!\w)",
    re.IGNORECASE,
)
# The language that "from" or "instead of" names is the one being left.
_SOURCE_RE = re.compile(
    r"(?<!\w)(?:from|instead of|rather than|than|από|απο|αντί για|αντι για|αντί|αντι|apo|anti|"
    r"вместо|с|со|iš|vietoj|ne)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
_CONTEXT_CHARS = 24  # how far before a language's name a negation or "from" counts
_SHORT_MESSAGE_WORDS = 5


def requested_language(text: str) -> str | None:
    """The language the customer explicitly asks to switch to, if the message is such a request.

    A language named right after a negation ("I don't speak Greek", "δεν μιλάω ρωσικά")
    or after "from / instead of" ("from Greek to English", "αντί για ελληνικά") is not the
    target; of the languages left, exactly one must remain.
    """
    # Accents vary ("ρώσικα", "ρωσικά"): match the text with and without them.
    plain = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    named: set[str] = set()
    excluded: set[str] = set()
    for lang, pattern in _NAME_RE.items():
        for source in (text, plain):
            for found in pattern.finditer(source):
                before = source[max(0, found.start() - _CONTEXT_CHARS):found.start()]
                after = source[found.end():found.end() + _CONTEXT_CHARS]
                after = re.split(r"[.?!;,]", after, maxsplit=1)[0]  # the rest of its clause
                negated_after = _NEGATION_RE.search(after) and not any(
                    other.search(after) for other in _NAME_RE.values())
                if _NEGATION_RE.search(before) or _SOURCE_RE.search(before) or negated_after:
                    excluded.add(lang)
                else:
                    named.add(lang)
    targets = named - excluded
    if len(targets) != 1:
        return None
    if excluded and not _CUE_RE.search(text):
        return None  # "I don't speak Greek, only English" names no request to act on
    words = len(text.split())
    if words <= _SHORT_MESSAGE_WORDS or _CUE_RE.search(text):
        return next(iter(targets))
    return None
