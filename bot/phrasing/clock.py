"""Time in the customer's culture: a greeting for their local time of day, and a day
and time written the way their language says it."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.phrasing.culture import FORMAL, Profile

MORNING, AFTERNOON, EVENING, NIGHT = "morning", "afternoon", "evening", "night"

# Greek says καλησπέρα from early afternoon on; at night the neutral χαίρετε/γεια.
GREETINGS: dict[str, dict[str, dict[str, str]]] = {
    "el": {
        FORMAL: {MORNING: "Καλημέρα σας", AFTERNOON: "Καλησπέρα σας", EVENING: "Καλησπέρα σας",
                 NIGHT: "Χαίρετε"},
        "informal": {MORNING: "Καλημέρα", AFTERNOON: "Καλησπέρα", EVENING: "Καλησπέρα", NIGHT: "Γεια σου"},
    },
    "ru": {
        FORMAL: {MORNING: "Доброе утро", AFTERNOON: "Добрый день", EVENING: "Добрый вечер",
                 NIGHT: "Здравствуйте"},
        "informal": {MORNING: "Доброе утро", AFTERNOON: "Добрый день", EVENING: "Добрый вечер",
                     NIGHT: "Привет"},
    },
    "lt": {
        FORMAL: {MORNING: "Labas rytas", AFTERNOON: "Laba diena", EVENING: "Labas vakaras", NIGHT: "Sveiki"},
        "informal": {MORNING: "Labas rytas", AFTERNOON: "Labas", EVENING: "Labas vakaras", NIGHT: "Labas"},
    },
    "en": {
        FORMAL: {MORNING: "Good morning", AFTERNOON: "Good afternoon", EVENING: "Good evening",
                 NIGHT: "Hello"},
        "informal": {MORNING: "Good morning", AFTERNOON: "Hi", EVENING: "Good evening", NIGHT: "Hi"},
    },
}

WEEKDAYS = {
    "el": ["Δευτέρα", "Τρίτη", "Τετάρτη", "Πέμπτη", "Παρασκευή", "Σάββατο", "Κυριακή"],
    "ru": ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"],
    "lt": ["pirmadienis", "antradienis", "trečiadienis", "ketvirtadienis", "penktadienis", "šeštadienis",
           "sekmadienis"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
# Month names in the form a date uses: Greek and Russian genitive, Lithuanian genitive.
MONTHS = {
    "el": ["Ιανουαρίου", "Φεβρουαρίου", "Μαρτίου", "Απριλίου", "Μαΐου", "Ιουνίου", "Ιουλίου",
           "Αυγούστου", "Σεπτεμβρίου", "Οκτωβρίου", "Νοεμβρίου", "Δεκεμβρίου"],
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
           "октября", "ноября", "декабря"],
    "lt": ["sausio", "vasario", "kovo", "balandžio", "gegužės", "birželio", "liepos", "rugpjūčio",
           "rugsėjo", "spalio", "lapkričio", "gruodžio"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
}


RU_ON_WEEKDAY = ["в понедельник", "во вторник", "в среду", "в четверг", "в пятницу", "в субботу",
                 "в воскресенье"]
LT_ON_WEEKDAY = ["pirmadienį", "antradienį", "trečiadienį", "ketvirtadienį", "penktadienį", "šeštadienį",
                 "sekmadienį"]


def local_time(moment: datetime, profile: Profile) -> datetime:
    return moment.astimezone(ZoneInfo(profile.timezone))


def part_of_day(moment: datetime, profile: Profile) -> str:
    hour = local_time(moment, profile).hour
    if 5 <= hour < 12:
        return MORNING
    if 12 <= hour < 18:
        return AFTERNOON
    if 18 <= hour < 23:
        return EVENING
    return NIGHT


def greeting(moment: datetime, profile: Profile) -> str:
    """"Καλησπέρα σας", "Доброе утро", "Labas vakaras", "Good morning" for the local hour."""
    table = GREETINGS.get(profile.language, GREETINGS["en"])
    return table.get(profile.formality, table[FORMAL])[part_of_day(moment, profile)]


def when_phrase(moment: datetime, profile: Profile, zone: str | None = None) -> str:
    """"When" as a sentence says it ("back {when}"), in ``zone`` (default: the customer's).

    el: την Τρίτη 24 Νοεμβρίου, στις 09:00 · ru: во вторник, 24 ноября, в 09:00 ·
    lt: antradienį, lapkričio 24 d., 09:00 val. · en: on Tuesday 24 November at 09:00 ·
    en-US: on Tuesday, November 24 at 9:00 AM
    """
    local = moment.astimezone(ZoneInfo(zone or profile.timezone))
    language = profile.language if profile.language in WEEKDAYS else "en"
    weekday, month, day = local.weekday(), MONTHS[language][local.month - 1], local.day
    time = f"{local:%H:%M}"
    if language == "el":
        return f"{'το' if weekday == 5 else 'την'} {WEEKDAYS['el'][weekday]} {day} {month}, στις {time}"
    if language == "ru":
        return f"{RU_ON_WEEKDAY[weekday]}, {day} {month}, в {time}"
    if language == "lt":
        return f"{LT_ON_WEEKDAY[weekday]}, {month} {day} d., {time} val."
    name = WEEKDAYS["en"][weekday]
    if profile.region == "US":
        hour = local.hour % 12 or 12
        return f"on {name}, {month} {day} at {hour}:{local:%M} {'AM' if local.hour < 12 else 'PM'}"
    return f"on {name} {day} {month} at {time}"
