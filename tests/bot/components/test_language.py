"""The language component through Rasa's own Message and model-storage APIs."""
from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.language import LanguageDetector
from bot.langid import DETECTION_KEY


@pytest.fixture(scope="module")
def component(tmp_path_factory: pytest.TempPathFactory) -> LanguageDetector:
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    return LanguageDetector.create(
        LanguageDetector.get_default_config(),
        storage,
        Resource("language_detector"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def detect(component: LanguageDetector, text: str, metadata: dict | None = None) -> dict:
    message = Message(data={TEXT: text, "metadata": metadata})
    [processed] = component.process([message])
    return processed.get(DETECTION_KEY)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Καλησπέρα σας, θέλω να κάνω μια επιστροφή", "el"),
        ("ευχαριστω πολυ", "el"),
        ("kalimera sas", "el"),
        ("thelw na milisw me kapoion", "el"),
        ("efxaristw poly", "el"),
        ("Здравствуйте, где мой заказ?", "ru"),
        ("добре", "ru"),  # Bulgarian-looking: Russian is the only Cyrillic language served
        ("дякую", "ru"),
        ("Laba diena, kur mano užsakymas?", "lt"),
        ("aciu labai", "lt"),
        ("noriu kalbeti su zmogumi", "lt"),
        ("ačiū", "lt"),
        ("where is my order", "en"),
        ("thx", "en"),
        ("pls help me", "en"),
    ],
)
def test_detects_the_language_of_short_messages(component: LanguageDetector, text: str, language: str) -> None:
    result = detect(component, text)
    assert result["language"] == language, result
    assert 0.0 < result["confidence"] <= 1.0


@pytest.mark.parametrize("text", ["👍", "🙂🙂🙂", "12345", "?!?!", "...", "   ", "", "#42 - 17:30"])
def test_input_without_letters_has_no_language_and_never_crashes(component: LanguageDetector, text: str) -> None:
    result = detect(component, text)
    assert result["language"] is None
    assert result["confidence"] == 0.0
    assert result["source"] == "none"


@pytest.mark.parametrize("text", ["ivan.petrov@example.ru", " maria+orders@mail.example.gr ",
                                  "https://example.com/orders/1234?lang=en", "www.example.lt", "@rapport_support"])
def test_an_address_or_a_link_alone_has_no_language(component: LanguageDetector, text: str) -> None:
    # An e-mail address answering a Russian question must not switch the reply to English.
    assert detect(component, text)["language"] is None


@pytest.mark.parametrize(("text", "language"), [
    ("мой адрес ivan.petrov@example.ru", "ru"),
    ("το e-mail μου είναι maria@example.com", "el"),
    ("mano adresas: jonas@example.lt, ačiū", "lt"),
    ("here is the link https://example.gr/paraggelia/katastasi", "en"),
])
def test_the_words_around_an_address_still_tell_the_language(component: LanguageDetector, text: str,
                                                              language: str) -> None:
    assert detect(component, text)["language"] == language


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("can we speak English?", "en"),
        ("μπορούμε να μιλήσουμε ελληνικά;", "el"),
        ("μπορούμε να μιλήσουμε αγγλικά;", "en"),
        ("можно по-английски?", "en"),
        ("давайте на русском", "ru"),
        ("gal galite kalbėti lietuviškai?", "lt"),
        ("ar galim rusiskai", "ru"),
        ("do you speak greek", "el"),
    ],
)
def test_explicit_switch_requests_name_the_target_language(
    component: LanguageDetector, text: str, target: str
) -> None:
    result = detect(component, text)
    assert result["language"] == target
    assert result["requested"] is True
    assert result["source"] == "switch"


def test_negated_language_mention_is_not_a_switch(component: LanguageDetector) -> None:
    result = detect(component, "я не говорю по-английски")
    assert result["requested"] is False
    assert result["language"] == "ru"


def test_channel_locale_breaks_a_tie(component: LanguageDetector) -> None:
    text = "ok"
    without = detect(component, text)
    with_hint = detect(component, text, {"locale": "lt-LT"})
    assert with_hint["scores"]["lt"] > without["scores"]["lt"]


def test_detection_is_an_output_property_of_the_parse(component: LanguageDetector) -> None:
    message = Message(data={TEXT: "Γεια σας"})
    component.process([message])
    assert message.as_dict(only_output_properties=True)[DETECTION_KEY]["language"] == "el"


def test_detection_is_deterministic(component: LanguageDetector) -> None:
    texts = ["labas", "hello", "ne", "super", "kalhspera"]
    first = [detect(component, t) for t in texts]
    second = [detect(component, t) for t in texts]
    assert first == second


def test_training_data_passes_through_unchanged(component: LanguageDetector) -> None:
    data = TrainingData([Message(data={TEXT: "hello", "intent": "greet"})])
    assert component.process_training_data(data) is data


@pytest.mark.parametrize(("text", "language"), [
    ("Τι είναι το churn rate;", "el"),
    ("Πώς μετράμε το NPS score στο help desk;", "el"),
    ("Что такое churn rate и как его считать?", "ru"),
])
def test_a_latin_term_inside_a_greek_or_russian_sentence_keeps_its_language(
        component: LanguageDetector, text: str, language: str) -> None:
    assert detect(component, text)["language"] == language


@pytest.mark.parametrize("word", ["games", "salary", "takes", "politics", "laboratory", "british",
                                  "administer", "weather", "shipping"])
def test_common_english_words_are_not_greeklish_transliterated_russian_or_lithuanian(
        component: LanguageDetector, word: str) -> None:
    assert detect(component, word)["language"] == "en"


@pytest.mark.parametrize(("text", "target"), [
    ("Could we continue in Russian? My English isn't very good.", "ru"),
    ("Can we switch from Greek to English, please?", "en"),
    ("Μπορούμε να συνεχίσουμε στα αγγλικά αντί για ελληνικά;", "en"),
    ("Я плохо говорю по-гречески, давайте по-английски", "en"),
])
def test_a_request_naming_two_languages_switches_to_the_one_asked_for(
        component: LanguageDetector, text: str, target: str) -> None:
    result = detect(component, text)
    assert (result["language"], result["requested"]) == (target, True)


@pytest.mark.parametrize("text", ["asdkjh", "qwerty zxcv", "sdfgsdfgh"])
def test_a_keyboard_mash_has_no_language(component: LanguageDetector, text: str) -> None:
    # A new conversation that starts with one stays in the default language, an old one in its own.
    assert detect(component, text)["language"] is None
