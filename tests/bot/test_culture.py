"""Golden tests of the culture profiles: address forms, time-of-day greetings, dates."""
from __future__ import annotations

import random
from datetime import datetime, timezone

import pytest

from bot.phrasing.clock import greeting, part_of_day, when_phrase
from bot.phrasing.culture import FORMAL, INDIRECT, INFORMAL, profile_for
from bot.phrasing.names import Person, address, greek_vocative, lithuanian_vocative, person_from
from bot.phrasing.render import render
from bot.phrasing.templates import templates

EVENING_UTC = datetime(2026, 11, 23, 18, 30, tzinfo=timezone.utc)  # a Monday


def conversation(language: str, **metadata: str) -> dict:
    return {"slots": {"language": language}, "events": [{"event": "user", "text": "…", "metadata": metadata}]}


def greet(language: str, now: datetime = EVENING_UTC, **metadata: str) -> str:
    return render("utter_greet", conversation(language, **metadata), now=now, rng=random.Random(0)).text


# --- Greek ---------------------------------------------------------------------------

@pytest.mark.parametrize(("nominative", "vocative"), [
    ("Παπαδόπουλος", "Παπαδόπουλε"), ("Γεωργόπουλος", "Γεωργόπουλε"), ("Οικονόμος", "Οικονόμε"),
    ("Αλέξανδρος", "Αλέξανδρε"), ("Γιώργος", "Γιώργο"), ("Πέτρος", "Πέτρο"), ("Καλογεράκος", "Καλογεράκο"),
    ("Νικολαΐδης", "Νικολαΐδη"), ("Παπαδάκης", "Παπαδάκη"), ("Καλαμαράς", "Καλαμαρά"), ("Μπαλτάς", "Μπαλτά"),
    ("Γεωργίου", "Γεωργίου"), ("Smith", "Smith"),
])
def test_greek_vocative_of_masculine_names(nominative: str, vocative: str) -> None:
    assert greek_vocative(nominative) == vocative


def test_greek_formal_greeting_uses_title_and_surname_in_the_vocative() -> None:
    text = greet("el", name="Γιώργος Παπαδόπουλος", gender="male", timezone="Europe/Athens")
    assert text.startswith("Καλησπέρα σας, κύριε Παπαδόπουλε! ")
    assert {"σας", "εσάς"} & set(text.rstrip(";").split()) and "σένα" not in text


def test_greek_feminine_surname_stays_in_its_form() -> None:
    text = greet("el", first_name="Μαρία", last_name="Παπαδοπούλου", gender="female")
    assert text.startswith("Καλησπέρα σας, κυρία Παπαδοπούλου! ")


def test_without_a_known_gender_no_title_is_guessed() -> None:
    assert greet("el", name="Γιώργος Παπαδόπουλος").startswith("Καλησπέρα σας! ")
    assert greet("lt", name="Jonas Kazlauskas").startswith("Labas vakaras! ")


def test_informal_level_only_when_a_hint_asks_for_it() -> None:
    assert profile_for("el").formality == FORMAL
    assert profile_for("el", {"locale": "el-GR"}).formality == FORMAL
    text = greet("el", name="Γιώργος Παπαδόπουλος", formality="informal")
    assert text.startswith("Καλησπέρα, Γιώργο! ")
    words = set(text.rstrip(";").split())
    assert {"σε", "σένα"} & words and not {"σας", "εσάς"} & words


# --- Russian -------------------------------------------------------------------------

@pytest.mark.parametrize("metadata", [
    {"name": "Анна Сергеевна Иванова"},
    {"name": "Иванова Анна Сергеевна"},
    {"first_name": "Анна", "last_name": "Иванова", "patronymic": "Сергеевна"},
])
def test_russian_name_and_patronymic(metadata: dict) -> None:
    assert greet("ru", **metadata).startswith("Добрый вечер, Анна Сергеевна! ")


def test_russian_without_patronymic_is_formal_without_the_name() -> None:
    text = greet("ru", first_name="Анна", last_name="Иванова")
    assert text.startswith("Добрый вечер! ") and "Анна" not in text
    assert "Вам" in text or "Подскажите" in text


# --- Lithuanian ----------------------------------------------------------------------

@pytest.mark.parametrize(("nominative", "vocative"), [
    ("Kazlauskas", "Kazlauskai"), ("Jonas", "Jonai"), ("Petraitis", "Petraiti"), ("Kairys", "Kairy"),
    ("Paulius", "Pauliau"), ("Kazlauskienė", "Kazlauskiene"), ("Jurgaitė", "Jurgaite"),
    ("Petraitytė", "Petraityte"), ("Eglė", "Egle"), ("Ona", "Ona"),
])
def test_lithuanian_vocative(nominative: str, vocative: str) -> None:
    assert lithuanian_vocative(nominative) == vocative


def test_lithuanian_titles() -> None:
    lt = profile_for("lt")
    assert address(lt, Person("Jonas", "Kazlauskas", gender="male")) == "pone Kazlauskai"
    assert address(lt, Person("Ona", "Kazlauskienė", gender="female")) == "ponia Kazlauskiene"
    assert address(lt, Person("Ona", None, gender="female")) == "ponia Ona"
    assert address(lt, Person("Jonas", None, gender="male")) == "pone Jonai"
    assert greet("lt", first_name="Jonas", last_name="Kazlauskas", gender="male").startswith(
        "Labas vakaras, pone Kazlauskai! ")


# --- English -------------------------------------------------------------------------

def test_english_in_the_us_is_friendlier_with_the_first_name() -> None:
    us = profile_for("en", {"locale": "en-US", "timezone": "America/New_York"})
    assert (us.formality, us.address) == (INFORMAL, "first_name")
    text = greet("en", first_name="John", last_name="Smith", gender="male", locale="en-US",
                 timezone="America/New_York")
    assert text.startswith("Hi, John! ")  # 13:30 in New York


def test_english_to_a_german_locale_is_formal_with_title_and_surname() -> None:
    de = profile_for("en", {"locale": "de-DE"})
    assert de.formality == FORMAL and de.address == "title_surname"
    text = greet("en", first_name="Hans", last_name="Müller", gender="male", locale="de-DE",
                 timezone="Europe/Berlin")
    assert text.startswith(("Good evening, Mr Müller! ", "Good evening, Mr Müller. "))  # 19:30 in Berlin
    assert profile_for("en", {"locale": "ja-JP"}).directness == INDIRECT


def test_english_without_gender_uses_the_full_name_without_a_title() -> None:
    assert address(profile_for("en", {"locale": "en-GB"}), Person("Alex", "Taylor")) == "Alex Taylor"


# --- Time of day ---------------------------------------------------------------------

@pytest.mark.parametrize(("language", "zone", "utc_hour", "expected"), [
    ("el", "Europe/Athens", 5, "Καλημέρα σας"),       # 07:00 in Athens
    ("el", "Europe/Athens", 12, "Καλησπέρα σας"),     # 14:00
    ("el", "Europe/Athens", 23, "Χαίρετε"),           # 01:00
    ("ru", "Europe/Moscow", 5, "Доброе утро"),        # 08:00 in Moscow
    ("ru", "Europe/Moscow", 11, "Добрый день"),       # 14:00
    ("ru", "Europe/Moscow", 17, "Добрый вечер"),      # 20:00
    ("lt", "Europe/Vilnius", 6, "Labas rytas"),       # 08:00 in Vilnius
    ("lt", "Europe/Vilnius", 10, "Laba diena"),       # 12:00
    ("lt", "Europe/Vilnius", 17, "Labas vakaras"),    # 19:00
    ("en", "UTC", 9, "Good morning"),
    ("en", "Asia/Tokyo", 9, "Good evening"),          # 18:00 in Tokyo
])
def test_greeting_follows_the_customers_local_time(language: str, zone: str, utc_hour: int,
                                                   expected: str) -> None:
    now = datetime(2026, 11, 23, utc_hour, 0, tzinfo=timezone.utc)
    assert greeting(now, profile_for(language, {"timezone": zone})) == expected


def test_default_time_zone_per_language() -> None:
    now = datetime(2026, 11, 23, 21, 30, tzinfo=timezone.utc)  # 23:30 Athens, 00:30 Moscow, 23:30 Vilnius
    assert [part_of_day(now, profile_for(lang)) for lang in ("el", "ru", "lt", "en")] == [
        "night", "night", "night", "evening"]
    assert greet("ru", now=now).startswith("Здравствуйте! ")


# --- Dates ---------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "hints", "expected"), [
    ("el", {}, "την Τρίτη 24 Νοεμβρίου, στις 09:00"),
    ("ru", {}, "во вторник, 24 ноября, в 10:00"),
    ("lt", {}, "antradienį, lapkričio 24 d., 09:00 val."),
    ("en", {"locale": "en-GB", "timezone": "Europe/London"}, "on Tuesday 24 November at 07:00"),
    ("en", {"locale": "en-US", "timezone": "America/New_York"}, "on Tuesday, November 24 at 2:00 AM"),
])
def test_dates_are_written_the_customers_way(language: str, hints: dict, expected: str) -> None:
    moment = datetime(2026, 11, 24, 7, 0, tzinfo=timezone.utc)
    assert when_phrase(moment, profile_for(language, hints)) == expected


def test_saturday_takes_the_neuter_article_in_greek() -> None:
    moment = datetime(2026, 11, 28, 7, 0, tzinfo=timezone.utc)
    assert when_phrase(moment, profile_for("el")) == "το Σάββατο 28 Νοεμβρίου, στις 09:00"


def test_the_offline_message_gives_the_opening_in_the_customers_words() -> None:
    text = render("utter_handoff_offline_hours", conversation("el"),
                  {"when": "2026-11-24T09:00+02:00 Europe/Athens"}, rng=random.Random(0)).text
    assert "την Τρίτη 24 Νοεμβρίου, στις 09:00" in text and "Europe/Athens" not in text
    chicago = conversation("en", locale="en-US", timezone="America/Chicago")
    text = render("utter_handoff_offline_hours", chicago,
                  {"when": "2026-11-24T09:00+02:00 Europe/Athens"}, rng=random.Random(0)).text
    assert "on Tuesday, November 24 at 9:00 AM (Europe/Athens)" in text


# --- Names from the channel ----------------------------------------------------------

def test_names_from_the_channel_are_validated() -> None:
    assert person_from({"name": "x" * 200}).known is False
    assert person_from({"name": "Robert'); DROP TABLE"}).known is False
    assert person_from({"first_name": "Jean-Luc", "last_name": "O'Neil", "gender": "M"}) == Person(
        "Jean-Luc", "O'Neil", None, "male")
    assert person_from({}, slot_name="Ona Kazlauskienė") == Person("Ona", "Kazlauskienė", None, None)


def test_apologies_are_brief_in_russian_but_warm_once_the_customer_is_frustrated() -> None:
    brief = {v["text"] for v in templates().variations("utter_kb_feedback_sorry", "ru")
             if v.get("empathy") == "brief"}
    calm = conversation("ru")
    upset = {**calm, "slots": {"language": "ru", "frustration": 0.8}}
    assert render("utter_kb_feedback_sorry", calm, rng=random.Random(0)).text in brief
    assert render("utter_kb_feedback_sorry", upset, rng=random.Random(0)).text not in brief
    assert profile_for("el").empathy == "warm"
