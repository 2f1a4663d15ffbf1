"""Culture profiles: how formally to write, how to address the customer, how directly.

A profile starts from the conversation's language and is refined by what the channel
knows about the customer (metadata ``locale``, ``timezone``, an explicit ``formality``).
English customers in the United States get a friendlier register with their first name;
English written to someone whose locale is German or Japanese gets title and surname and
softer suggestions. The polite plural (σας / Вы / Jūs) is the default everywhere; the
informal level is used only when a hint asks for it.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LANGUAGES = ("el", "ru", "lt", "en")
FORMAL, INFORMAL = "formal", "informal"
DIRECT, INDIRECT = "direct", "indirect"
WARM, BRIEF = "warm", "brief"

# How the customer is addressed by name.
TITLE_SURNAME = "title_surname"      # κύριε Παπαδόπουλε, pone Kazlauskai, Mr Smith
NAME_PATRONYMIC = "name_patronymic"  # Анна Сергеевна
FIRST_NAME = "first_name"            # John


@dataclass(frozen=True)
class Profile:
    language: str
    formality: str = FORMAL
    address: str = TITLE_SURNAME
    directness: str = DIRECT
    empathy: str = WARM
    timezone: str = "UTC"
    region: str | None = None  # the locale's country, e.g. "US"

    def traits(self) -> dict[str, str]:
        """What a template variation may be tagged with."""
        return {"formality": self.formality, "directness": self.directness, "empathy": self.empathy}


DEFAULTS: dict[str, Profile] = {
    "el": Profile("el", FORMAL, TITLE_SURNAME, DIRECT, WARM, "Europe/Athens"),
    "ru": Profile("ru", FORMAL, NAME_PATRONYMIC, DIRECT, BRIEF, "Europe/Moscow"),
    "lt": Profile("lt", FORMAL, TITLE_SURNAME, INDIRECT, BRIEF, "Europe/Vilnius"),
    "en": Profile("en", FORMAL, TITLE_SURNAME, INDIRECT, WARM, "UTC"),
}

# English written to customers from these countries: the local business register.
CASUAL_ENGLISH_REGIONS = {"US", "CA", "AU", "NZ"}
# Countries whose business culture expects titles and softened requests, in any language.
FORMAL_REGIONS = {"DE", "AT", "CH", "JP", "KR", "CN", "FR", "IT", "PL"}
INDIRECT_REGIONS = {"JP", "KR", "CN", "GB", "IE"}


def parse_locale(value: Any) -> tuple[str | None, str | None]:
    """("en", "US") from "en-US", "en_us" or "EN"; (None, None) from anything else."""
    if not isinstance(value, str) or not value.strip() or len(value) > 35:
        return None, None
    parts = value.strip().replace("_", "-").split("-")
    language = parts[0].lower() if parts[0].isalpha() and 2 <= len(parts[0]) <= 3 else None
    region = next((p.upper() for p in parts[1:] if p.isalpha() and len(p) == 2), None)
    return language, region


def valid_timezone(value: Any) -> str | None:
    if not isinstance(value, str) or not value or len(value) > 64:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return value


def profile_for(language: str | None, hints: Mapping[str, Any] | None = None) -> Profile:
    """The profile for a conversation in ``language`` with the channel's hints."""
    hints = hints or {}
    profile = DEFAULTS.get(language or "en", DEFAULTS["en"])
    _, region = parse_locale(hints.get("locale") or hints.get("language_code"))
    if region:
        profile = replace(profile, region=region)
        if profile.language == "en" and region in CASUAL_ENGLISH_REGIONS:
            profile = replace(profile, formality=INFORMAL, address=FIRST_NAME, directness=DIRECT)
        elif region in FORMAL_REGIONS:
            profile = replace(profile, formality=FORMAL,
                              address=NAME_PATRONYMIC if profile.language == "ru" else TITLE_SURNAME)
        if region in INDIRECT_REGIONS:
            profile = replace(profile, directness=INDIRECT)
    zone = valid_timezone(hints.get("timezone"))
    if zone:
        profile = replace(profile, timezone=zone)
    formality = hints.get("formality")
    if formality in (FORMAL, INFORMAL):
        profile = replace(profile, formality=formality)
        if formality == INFORMAL:
            profile = replace(profile, address=FIRST_NAME)
    return profile
