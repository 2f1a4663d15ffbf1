"""Every response exists in every language and at every formality level.

A variation tagged with a trait (formality, directness, empathy) fits only profiles with
that trait; an untagged one fits all. So for each language and each combination of
traits, every response must have at least one fitting variation, and the variations
written for the informal level must not slip into the polite plural (or back).
"""
from __future__ import annotations

import itertools
import random
import re
from pathlib import Path

import pytest
import yaml

from bot.phrasing.culture import BRIEF, DIRECT, FORMAL, INDIRECT, INFORMAL, WARM
from bot.phrasing.render import CULTURE_KEYS, render
from bot.phrasing.templates import LANGUAGES, TRAITS, Templates

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = Templates.load()
ALL_NAMES = sorted(set().union(*(TEMPLATES.names(lang) for lang in LANGUAGES)))
DOMAIN_RESPONSES = sorted(yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"])
PROFILES = [dict(zip(TRAITS, combo)) for combo in itertools.product((FORMAL, INFORMAL), (DIRECT, INDIRECT),
                                                                     (WARM, BRIEF))]
# The polite plural and the familiar singular, as whole words (Greek "σε" is also a preposition).
FORMAL_WORDS = {"el": r"σας|εσάς", "ru": r"Вы|Вас|Вам|Вами|Ваш\w*", "lt": r"Jūs|Jus|Jums|Jūsų|Jumis"}
INFORMAL_WORDS = {"el": r"σου|σένα|εσύ", "ru": r"ты|тебя|тебе|тобой|твой|твоя|твоё|твои|твой\w*",
                  "lt": r"tu|tave|tau|tavo"}
# Verb forms of each register that the pronoun lists above cannot see (polite-plural
# imperatives and "you can/want" forms against their familiar singular); only forms that
# are unambiguous in the language: Lithuanian "gali"/"nori" are also third person, so absent.
FORMAL_VERBS = {"el": r"μπορείτε|μπορούσατε|θέλετε|θέλατε|αφήνατε|αφήσετε|γράψτε|πείτε|δοκιμάστε|ελέγξτε|"
                      r"χρειαστείτε|περιμένετε|προτιμάτε|στείλατε|δώστε|διαβάστε",
                "ru": r"можете|могли бы Вы|напишите|нажмите|попробуйте|оставьте|укажите|проверьте|хотите|"
                      r"извините|оцените|разделите|обращайтесь|пишите|давайте|скажите|подскажите",
                "lt": r"galite|galėtumėte|parašykite|spauskite|pabandykite|palikite|nurodykite|patikrinkite|"
                      r"norite|norėtumėte|rašykite|laukiate|gausite|įvertintumėte|įvertinkite|atsiuntėte|"
                      r"susidūrėte|persigalvosite|turėsite|atleiskite|pasakykite"}
INFORMAL_VERBS = {"el": r"μπορείς|θέλεις|ήθελες|άφηνες|αφήσεις|γράψε|πες|δοκίμασε|έλεγξε|χρειαστείς|"
                        r"περιμένεις|προτιμάς|έστειλες|διάβασε",
                  "ru": r"можешь|напиши|нажми|попробуй|оставь|укажи|проверь|хочешь|извини|оцени|раздели|"
                        r"обращайся|пиши|давай|скажи|подскажи",
                  "lt": r"galėtum|parašyk|spausk|pabandyk|palik|nurodyk|patikrink|norėtum|rašyk|lauki|gausi|"
                        r"įvertintum|įvertink|atsiuntei|susidūrei|persigalvosi|turėsi|pasakyk"}
# Messages left with a polite form an informal profile still gets, and why (to be fixed).
KNOWN_REGISTER_GAPS: dict[tuple[str, str], str] = {}  # (language, name): why it cannot be fixed yet
VALID_TAGS = {"formality": {FORMAL, INFORMAL}, "directness": {DIRECT, INDIRECT}, "empathy": {WARM, BRIEF}}


def words(pattern: str, text: str) -> list[str]:
    return re.findall(rf"(?<!\w)(?:{pattern})(?!\w)", text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_response_exists_in_every_language(language: str) -> None:
    assert TEMPLATES.names(language) == set(ALL_NAMES)


@pytest.mark.parametrize("name", DOMAIN_RESPONSES)
def test_every_domain_response_is_rendered_from_data_responses(name: str) -> None:
    for language in LANGUAGES:
        assert name in TEMPLATES.names(language), (name, language)


@pytest.mark.parametrize("name", ALL_NAMES)
def test_every_response_fits_every_profile_in_every_language(name: str) -> None:
    for language, profile in itertools.product(LANGUAGES, PROFILES):
        fitting = [v for v in TEMPLATES.variations(name, language)
                   if v.get("formality") in (None, profile["formality"])]
        assert fitting, f"{name} has nothing for {profile['formality']} {language}"
        for variation in TEMPLATES.fitting(name, language, profile):
            assert variation.get("formality") in (None, profile["formality"]), (name, language, variation)


@pytest.mark.parametrize("name", ALL_NAMES)
def test_tags_are_known_traits(name: str) -> None:
    for language in LANGUAGES:
        for variation in TEMPLATES.variations(name, language):
            for key in set(variation) - {"text", "buttons"}:
                assert key in VALID_TAGS and variation[key] in VALID_TAGS[key], (name, language, key)


@pytest.mark.parametrize("language", ["el", "ru", "lt"])
def test_tagged_variations_keep_their_register(language: str) -> None:
    for name in ALL_NAMES:
        for variation in TEMPLATES.variations(name, language):
            text = variation["text"]
            if variation.get("formality") == INFORMAL:
                assert not words(FORMAL_WORDS[language], text), (name, text)
            if variation.get("formality") == FORMAL:
                assert not words(INFORMAL_WORDS[language], text), (name, text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_response_renders_with_its_culture_values_filled(language: str) -> None:
    conversation = {"slots": {"language": language},
                    "events": [{"event": "user", "metadata": {"name": "Maria Test", "gender": "female"}}]}
    rng = random.Random(7)
    for name in ALL_NAMES:
        for _ in range(4):
            text = render(name, conversation, rng=rng).text
            assert not any("{" + key + "}" in text for key in CULTURE_KEYS), (name, text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_variation_is_written_twice(language: str) -> None:
    for name in ALL_NAMES:
        texts = [v["text"] for v in TEMPLATES.variations(name, language)]
        assert len(texts) == len(set(texts)), name


def register_words(pattern: str, text: str) -> list[str]:
    """Whole words of ``pattern`` in ``text``, whatever their case (also at a sentence start)."""
    return re.findall(rf"(?<!\w)(?:{pattern})(?!\w)", text, flags=re.IGNORECASE)


def shown(variation: dict) -> str:
    """What the customer reads of a variation: its text and its button titles."""
    return "\n".join([variation["text"], *(b["title"] for b in variation.get("buttons", []))])


# All three languages with a T-V distinction are covered (English has none).
@pytest.mark.parametrize("language", ["el", "ru", "lt"])
def test_informal_profiles_never_get_the_polite_plural(language: str) -> None:
    polite = f"{FORMAL_WORDS[language]}|{FORMAL_VERBS[language]}"
    informal_profiles = [p for p in PROFILES if p["formality"] == INFORMAL]
    for name in ALL_NAMES:
        if (language, name) in KNOWN_REGISTER_GAPS:
            continue
        fitting = [v for v in TEMPLATES.variations(name, language) if v.get("formality") in (None, INFORMAL)]
        fitting += [v for p in informal_profiles for v in TEMPLATES.fitting(name, language, p)]
        for variation in fitting:
            assert not register_words(polite, shown(variation)), (name, variation["text"])


@pytest.mark.parametrize("language", ["el", "ru", "lt"])
def test_formal_profiles_never_get_the_familiar_singular(language: str) -> None:
    familiar = f"{INFORMAL_WORDS[language]}|{INFORMAL_VERBS[language]}"
    formal_profiles = [p for p in PROFILES if p["formality"] == FORMAL]
    for name in ALL_NAMES:
        fitting = [v for v in TEMPLATES.variations(name, language) if v.get("formality") in (None, FORMAL)]
        fitting += [v for p in formal_profiles for v in TEMPLATES.fitting(name, language, p)]
        for variation in fitting:
            assert not register_words(familiar, shown(variation)), (name, variation["text"])


def test_known_register_gaps_are_still_gaps() -> None:
    """An entry in KNOWN_REGISTER_GAPS goes once the message is fixed."""
    for language, name in KNOWN_REGISTER_GAPS:
        polite = f"{FORMAL_WORDS[language]}|{FORMAL_VERBS[language]}"
        assert any(register_words(polite, shown(v)) for v in TEMPLATES.variations(name, language)
                   if v.get("formality") in (None, INFORMAL)), (language, name)
