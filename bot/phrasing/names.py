"""The customer's name, and how to address them by it in each language.

The name comes from the channel profile (metadata ``first_name``/``last_name``/``name``,
optionally ``gender``) or from the ``customer_name`` slot. A title that depends on gender
(κύριε/κυρία, pone/ponia, Mr/Ms) is used only when the gender is known; otherwise the
address is neutral, or left out where the language has no neutral form.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping

from bot.langid.detector import LEXICON_DIR, load_lexicon
from bot.phrasing.culture import FIRST_NAME, FORMAL, NAME_PATRONYMIC, Profile

MALE, FEMALE = "male", "female"
GENDER_WORDS = {"male": MALE, "m": MALE, "man": MALE, "female": FEMALE, "f": FEMALE, "woman": FEMALE}
PATRONYMIC = re.compile(r"(?:вич|вна|ична|инична|ьич)$", re.IGNORECASE)
MAX_NAME = 80


@dataclass(frozen=True)
class Person:
    first: str | None = None
    last: str | None = None
    patronymic: str | None = None
    gender: str | None = None

    @property
    def known(self) -> bool:
        return bool(self.first or self.last)


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    if not value or len(value) > MAX_NAME or any(unicodedata.category(c).startswith("C") for c in value):
        return None
    if not all(part.replace("-", "").replace("'", "").isalpha() for part in value.split()):
        return None
    return value


def person_from(metadata: Mapping[str, Any], slot_name: Any = None) -> Person:
    """The customer as the channel (or the ``customer_name`` slot) describes them."""
    first, last = _clean(metadata.get("first_name")), _clean(metadata.get("last_name"))
    full = _clean(metadata.get("name")) or _clean(slot_name)
    patronymic = _clean(metadata.get("patronymic") or metadata.get("middle_name"))
    if full and not (first or last):
        parts = full.split()
        found = next((p for p in parts if PATRONYMIC.search(p)), None) if len(parts) > 1 else None
        if found:
            patronymic = patronymic or found
            rest = [p for p in parts if p is not found]
            # Russian order is either "Имя Отчество Фамилия" or "Фамилия Имя Отчество".
            index = parts.index(found)
            first = parts[index - 1] if index > 0 else (rest[0] if rest else None)
            last = next((p for p in rest if p != first), None)
        else:
            first, last = parts[0], (parts[-1] if len(parts) > 1 else None)
    elif first and not patronymic:
        extra = first.split()
        if len(extra) == 2 and PATRONYMIC.search(extra[1]):
            first, patronymic = extra
    if patronymic and not PATRONYMIC.search(patronymic):
        patronymic = None
    gender = GENDER_WORDS.get(str(metadata.get("gender") or "").strip().lower())
    return Person(first, last, patronymic, gender)


# --- Greek -------------------------------------------------------------------------

GREEK_VOWELS = "αεηιουωάέήίόύώϊϋΐΰ"
GREEK_ACCENTED = "άέήίόύώΐΰ"


def _greek_syllables(word: str) -> list[int]:
    """Indexes of vowel groups (rough syllable nuclei) in a Greek word."""
    nuclei, previous = [], False
    for i, ch in enumerate(word.lower()):
        is_vowel = ch in GREEK_VOWELS
        if is_vowel and not previous:
            nuclei.append(i)
        previous = is_vowel and ch not in GREEK_ACCENTED and ch not in "ϊϋ"
    return nuclei


def _greek_stress_from_end(word: str) -> int:
    """1 if the last syllable is stressed, 2 the one before, 3 the one before that."""
    accent = max((i for i, ch in enumerate(word.lower()) if ch in GREEK_ACCENTED), default=-1)
    if accent < 0:
        return 2
    nuclei = _greek_syllables(word)
    after = [n for n in nuclei if n > accent]
    return len(after) + 1


def greek_vocative(word: str) -> str:
    """Vocative of a masculine Greek name or surname; other words stay as they are.

    -ούλος -> -ούλε (Παπαδόπουλε), -άκος -> -άκο, -ός -> -έ, two-syllable -ος -> -ο
    (Γιώργο), other -ος -> -ε (Αλέξανδρε, Οικονόμε), -ης -> -η, -ας -> -α, -ής -> -ή, -άς -> -ά.
    """
    lower = word.lower()
    if lower.endswith(("ούλος", "ουλος")):
        return word[:-2] + "ε"
    if lower.endswith("άκος"):
        return word[:-2] + "ο"
    if lower.endswith("ός"):
        return word[:-2] + "έ"
    if lower.endswith("ος"):
        if len(_greek_syllables(word)) <= 2 and _greek_stress_from_end(word) == 2:
            return word[:-2] + "ο"
        return word[:-2] + "ε"
    if lower.endswith(("ης", "ας", "ής", "άς", "ές", "ες")):
        return word[:-1]
    return word


# --- Lithuanian --------------------------------------------------------------------

LT_VOCATIVE_ENDINGS = (
    ("ienė", "iene"), ("aitė", "aite"), ("ytė", "yte"), ("utė", "ute"), ("iūtė", "iūte"),
    ("ius", "iau"), ("us", "au"), ("as", "ai"), ("ys", "y"), ("is", "i"), ("ė", "e"),
)


def lithuanian_vocative(word: str) -> str:
    """Kazlauskas -> Kazlauskai, Petraitis -> Petraiti, Kairys -> Kairy, Paulius -> Pauliau,
    Kazlauskienė -> Kazlauskiene, Petraitytė -> Petraityte, Eglė -> Egle; Ona stays Ona."""
    for ending, vocative in LT_VOCATIVE_ENDINGS:
        if word.lower().endswith(ending) and len(word) > len(ending) + 1:
            return word[: -len(ending)] + vocative
    return word


# --- Address -----------------------------------------------------------------------

TITLES = {
    "el": {MALE: "κύριε", FEMALE: "κυρία"},
    "lt": {MALE: "pone", FEMALE: "ponia"},
    "en": {MALE: "Mr", FEMALE: "Ms"},
}


def address(profile: Profile, person: Person) -> str:
    """How to call the customer mid-sentence ("κύριε Παπαδόπουλε"), or "" for no name."""
    if not person.known:
        return ""
    language = profile.language
    if language == "ru":
        if profile.address == NAME_PATRONYMIC:
            return f"{person.first} {person.patronymic}" if person.first and person.patronymic else ""
        return person.first if profile.address == FIRST_NAME and person.first else ""
    if profile.address == FIRST_NAME or profile.formality != FORMAL:
        if not person.first:
            return ""
        if language == "el":
            return greek_vocative(person.first)
        if language == "lt":
            return lithuanian_vocative(person.first)
        return person.first
    title = TITLES.get(language, {}).get(person.gender or "")
    surname = person.last or (person.first if language == "lt" else None)
    if title and surname:
        if language == "el":
            return f"{title} {greek_vocative(surname) if person.gender == MALE else surname}"
        if language == "lt":
            return f"{title} {lithuanian_vocative(surname)}"
        return f"{title} {surname}"
    if language == "en" and person.first and person.last:
        return f"{person.first} {person.last}"  # no title without a known gender
    return ""


# --- A name the customer gives ---------------------------------------------------------

_WORD = r"[^\W\d_][^\W\d_'’-]*(?:[-'’][^\W\d_]+)*"
INTRODUCTIONS = re.compile(
    r"(?:^|[\s,.!;:])(?:"
    r"με\s+λ[έε]νε|ονομ[άα]ζομαι|λ[έε]γομαι|το\s+[όο]νομ[άα]\s+μου\s+ε[ίι]ναι"
    r"|меня\s+зовут|мо[ёе]\s+имя|зовите\s+меня"
    r"|mano\s+vardas(?:\s+yra)?|vadinuosi|mane\s+vadina"
    r"|my\s+name\s+is|my\s+name's|my\s+names"
    rf")\s+(?P<name>{_WORD}(?:\s+{_WORD}){{0,2}})",
    re.IGNORECASE,
)
NAME_STOPS = {"και", "κι", "αλλά", "από", "εδώ", "и", "а", "но", "у", "с", "из", "тут",
              "ir", "bet", "su", "iš",
              "čia", "and", "but", "from", "with", "here", "again", "please"}
NOT_NAMES = {"not", "none", "nothing", "δεν", "όχι", "не", "нет", "ne", "nėra", "secret", "μυστικό", "секрет"}


def introduced_name(text: str) -> str | None:
    """The name in "my name is Maria Papadopoulou", "με λένε Γιώργο", "меня зовут Анна
    Сергеевна", "mano vardas Ona"; None when the message introduces nobody."""
    if not isinstance(text, str) or len(text) > 500:
        return None
    found = INTRODUCTIONS.search(text)
    if not found:
        return None
    words = found.group("name").split()
    if words[0].lower() in NOT_NAMES:
        return None
    kept = [words[0]]
    for word in words[1:]:  # "Ελένη Νικολαΐδου και ..." ends at "και"; "Maria here" at "here"
        if word.lower() in NAME_STOPS or (words[0][0].isupper() and not word[0].isupper()):
            break
        kept.append(word)
    words = kept
    if re.search(r"με\s+λ[έε]νε", found.group(0), re.IGNORECASE):
        # "με λένε" takes the accusative: Γιώργο Παπαδόπουλο is Γιώργος Παπαδόπουλος.
        words = [w + "ς" if w.endswith(("ο", "ό")) else w for w in words]
    return _clean(" ".join(w[:1].upper() + w[1:] for w in words))


def metadata_name(metadata: Mapping[str, Any]) -> str | None:
    """The full name the channel profile gives, if any."""
    person = person_from(metadata)
    parts = [person.first, person.patronymic, person.last]
    return " ".join(p for p in parts if p) or None


# Short replies that are not names, beside the language lexicons' everyday words.
REPLIES = {"ναι", "όχι", "οκ", "εντάξει", "ευχαριστώ", "γεια", "καλημέρα", "καλησπέρα", "ακύρωση",
           "да", "нет", "ок", "хорошо", "спасибо", "привет", "здравствуйте", "отмена",
           "gerai", "ačiū", "labas", "sveiki", "atšaukti", "cancel", "hello", "hi"}


@lru_cache(maxsize=1)
def _everyday_words() -> frozenset[str]:
    words = set(REPLIES) | NAME_STOPS | NOT_NAMES
    for path in sorted(LEXICON_DIR.glob("*.txt")):
        words |= load_lexicon(path)
    return frozenset(words)


def answered_name(text: str) -> str | None:
    """A name given as the answer to the name question: an introduction, or one to three
    capitalised words that are not everyday words ("Maria", "Анна Сергеевна")."""
    given = introduced_name(text)
    if given or not isinstance(text, str):
        return given
    words = text.strip().rstrip(".!").split()
    if not 1 <= len(words) <= 3 or not all(w[:1].isupper() for w in words):
        return None
    if any(w.lower().strip(",") in _everyday_words() for w in words):
        return None
    return _clean(" ".join(w.strip(",") for w in words))
