"""Frustration scoring per message and per conversation (bot.frustration), and the NLU
component that puts the score in the parse result."""
from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message

from bot.components.frustration import FrustrationScorer
from bot.escalation import ACKNOWLEDGE_AT, ESCALATE_AT
from bot.frustration import SCORE_KEY, Context, Score, next_level, score_message
from bot.frustration.text import fold, greeklish


def score(text: str, earlier: tuple[str, ...] = ()) -> float:
    return score_message(text, earlier).score


@pytest.mark.parametrize("text", [
    "Τρίτη φορά σας γράφω και ακόμα δεν έχω απάντηση",
    "Это просто безобразие, сколько можно ждать?",
    "Jau trečią kartą klausiu, kiek galima laukti?",
    "This is the third time I'm asking, it's ridiculous",
])
def test_repeated_complaints_are_frustrated_in_every_language(text: str) -> None:
    assert score(text) >= ACKNOWLEDGE_AT


@pytest.mark.parametrize("text", [
    "Πώς αλλάζω τη διεύθυνση αποστολής;",
    "Подскажите, пожалуйста, как изменить адрес доставки?",
    "Kaip pakeisti pristatymo adresą?",
    "How do I change my delivery address?",
    "My parcel arrived damaged, could you help me with a replacement?",
])
def test_neutral_questions_and_polite_complaints_are_calm(text: str) -> None:
    assert score(text) < ACKNOWLEDGE_AT


@pytest.mark.parametrize("text", [
    "Thank you so much!!!", "Ευχαριστώ πολύ!!!", "Спасибо огромное!!!", "Labai ačiū!!!",
    "THANK YOU SO MUCH, YOU ARE AMAZING", "Perfect?! Wow, thanks 😊", "Ура, заработало!!! 🙏",
])
def test_excited_thanks_is_not_frustration(text: str) -> None:
    assert score(text) < 0.2


def test_the_same_punctuation_without_thanks_counts() -> None:
    assert score("Where is my refund?!?!") >= ACKNOWLEDGE_AT
    assert score("Where is my refund?!?!") > score("Where is my refund, thanks?!?!")


@pytest.mark.parametrize("text,stem", [
    ("απαράδεκτη εξυπηρέτηση", "απαράδεκτ"),
    ("ΑΠΑΡΆΔΕΚΤΟΙ", "απαράδεκτ"),
    ("Είστε απαράδεκτοι", "απαράδεκτ"),
    ("aparadektoi einai", "απαράδεκτ"),          # Greeklish
    ("Мне это надоело", "надоел"),
    ("Вы мне все надоели", "надоел"),
    ("Visiška nesąmonė", "nesąmon"),
    ("visiska nesamone", "nesąmon"),              # Lithuanian without diacritics
    ("Kokios nesąmonės", "nesąmon"),
])
def test_inflected_forms_accents_and_transliteration_match_one_stem(text: str, stem: str) -> None:
    reasons = " ".join(score_message(text).reasons)
    assert stem in reasons, reasons


def test_folding_and_greeklish_skeleton() -> None:
    assert fold("ΞΑΝΆ ξανά Ещё nesąmonė") == "ξανα ξανα еще nesamone"
    assert fold("πόσες") == "ποσεσ"                      # final sigma
    assert {greeklish(fold(w)) for w in ("ξανά", "ksana", "3ana", "xana")} == {"xana"}
    assert greeklish(fold("βαρέθηκα")) == greeklish("barethika") == greeklish("vare8ika")


def test_shouting_counts_but_acronyms_do_not() -> None:
    assert score("WHY DOES NOBODY ANSWER MY EMAILS") >= ACKNOWLEDGE_AT
    assert "capitals" in score_message("ПОЧЕМУ НИКТО НЕ ОТВЕЧАЕТ").reasons
    for text in ("Can I pay the VAT by SMS with my PIN?", "Πώς αλλάζω το ΑΦΜ και το IBAN;"):
        assert "capitals" not in score_message(text).reasons and score(text) < 0.2


def test_angry_emoji_count_and_more_of_them_count_more() -> None:
    assert score("😡") >= ACKNOWLEDGE_AT
    assert score("😡🤬") > score("😡")
    assert score("the delivery is late 👎") > score("the delivery is late")
    assert score("🙏😊") == 0.0


def test_insult_with_a_demand_for_a_human_is_very_frustrated() -> None:
    assert score("stupid bot, give me a real person") >= ESCALATE_AT
    assert score("Тупой бот, дайте живого человека, это издевательство") >= ESCALATE_AT


def test_threats_to_leave() -> None:
    for text in ("Αν δεν το φτιάξετε, θα πάω σε άλλη εταιρεία", "Расторгну договор и уйду к конкурентам",
                 "Nutrauksiu sutartį ir pereisiu pas konkurentus", "Fix it or I'm switching to another provider"):
        assert any(r.startswith("threat") for r in score_message(text).reasons), text


def test_a_repeated_message_adds_to_the_score() -> None:
    question = "when will my order 1234 arrive"
    assert score(question) < 0.2
    assert score(question, ("hello", question)) >= 0.4 > score(question) + 0.2
    assert "repeated message" in score_message("When will my order 1234 arrive?", (question,)).reasons
    assert score("yes", ("yes",)) == score("yes")   # short answers repeat naturally


def test_score_is_explainable_bounded_and_safe_on_bad_input() -> None:
    worst = score_message("STUPID USELESS BOT!!! THIRD TIME!!! I'LL CANCEL MY SUBSCRIPTION 😡🤬")
    assert 0.9 < worst.score <= 1.0 and len(worst.reasons) >= 4
    for text in (None, "", "   ", "/request_human", "x" * 100_000, "\x00\ud800?"):
        assert 0.0 <= score_message(text).score <= 1.0
    assert score_message(None) == Score(0.0)
    assert Score.from_dict({"score": "7", "reasons": "not a list"}) == Score(1.0)
    assert Score.from_dict({"score": None}) == Score(0.0)


def test_conversation_level_rises_with_misses_and_falls_when_calm() -> None:
    angry = score_message("This is ridiculous")
    first = next_level(angry, Context(), None)
    assert first.level == round(angry.score, 3) and first.trend == "rising"
    again = next_level(angry, Context(misses_in_row=2), first.level)
    assert again.level > first.level and "2 not understood in a row" in again.reasons
    calm = next_level(score_message("ok, and how do I pay?"), Context(), again.level)
    assert calm.trend == "falling" and 0 < calm.level < again.level
    steady = next_level(Score(0.0), Context(), 0.05)
    assert steady.trend == "steady"


def test_waits_and_the_same_question_count_in_the_conversation() -> None:
    calm = Score(0.0)
    assert next_level(calm, Context(reply_delay=30), None).level == 0.0
    assert next_level(calm, Context(reply_delay=200), None).level > next_level(calm, Context(reply_delay=90), None).level > 0
    assert next_level(calm, Context(queue_wait=1000), None).level >= 0.45
    again = next_level(calm, Context(repeated=True), None)
    assert again.reasons == ("same question again",)
    assert ACKNOWLEDGE_AT <= again.level < ESCALATE_AT  # acknowledged, with a person on offer


def test_persistent_anger_reaches_escalation() -> None:
    level = None
    for _ in range(3):
        level = next_level(score_message("Это издевательство, опять не работает"), Context(), level and level.level)
    assert level.level >= ESCALATE_AT


def test_component_writes_the_score_into_the_parse(tmp_path: Path) -> None:
    component = FrustrationScorer.create(
        FrustrationScorer.get_default_config(), LocalModelStorage(tmp_path),
        Resource("frustration"), ExecutionContext(GraphSchema({}), "test"),
    )
    angry, calm, empty = Message(data={"text": "Απαράδεκτο!!! 😡"}), Message(data={"text": "Καλημέρα"}), Message(data={})
    component.process([angry, calm, empty])
    assert angry.get(SCORE_KEY)["score"] >= ACKNOWLEDGE_AT and angry.get(SCORE_KEY)["reasons"]
    assert calm.get(SCORE_KEY)["score"] < 0.2
    assert empty.get(SCORE_KEY)["score"] == 0.0
    assert SCORE_KEY in angry.as_dict(only_output_properties=True)


def test_greeklish_is_looked_for_only_when_the_message_may_be_greek() -> None:
    greeklish_complaint = "aparadekto, 3ana ta idia"
    assert score(greeklish_complaint) >= ACKNOWLEDGE_AT
    assert score_message(greeklish_complaint, language="el").score >= ACKNOWLEDGE_AT
    assert not any("(el)" in r for r in score_message(greeklish_complaint, language="lt").reasons)
    # A short Greek stem does not match the start of a Lithuanian word in Greeklish.
    assert not any("(el)" in r for r in score_message("Gailiuosi, kad užsisakiau").reasons)
    assert score("Don’t believe a word") == score("Don't believe a word") > 0


def test_the_learned_classifier_catches_frustration_no_lexicon_names(tmp_path: Path) -> None:
    from bot.frustration.learned import default_model, load_examples, train

    for language in ("el", "ru", "lt", "en"):
        examples = load_examples(languages=[language])
        assert len(examples) >= 60 and sum(label for label, _ in examples) >= 25, language
    for implicit in ("again nothing, you people never fix anything", "και πάλι τίποτα, δεν φτιάχνετε ποτέ τίποτα"):
        found = score_message(implicit)
        assert found.score >= ACKNOWLEDGE_AT      # the lexicons alone: "again", 0.2
        assert [r.split(":")[0] for r in found.reasons] == ["again", "learned"], found
    for calm in ("do you deliver to Kaunas?", "вы доставляете в Каунас?"):
        assert default_model().probability(calm) < 0.5 and score(calm) < ACKNOWLEDGE_AT
    # Excited thanks read as calm to the classifier as well.
    assert score("THANK YOU!!! you are the best 😊") < 0.2
    (tmp_path / "en.tsv").write_text("label\ttext\n1\tthis is awful\n", encoding="utf-8")
    with pytest.raises(ValueError, match="both"):
        train(load_examples(tmp_path, ["en"]))
    (tmp_path / "en.tsv").write_text("label\ttext\nmaybe\tthis is awful\n", encoding="utf-8")
    with pytest.raises(ValueError, match="label 0 or 1"):
        load_examples(tmp_path, ["en"])


class FixedReading:
    """A stand-in for the learned classifier that reads every message the same way."""

    def __init__(self, probability: float) -> None:
        self.value = probability

    def probability(self, text: str) -> float:
        return self.value


def test_thanks_do_not_damp_what_the_classifier_reads() -> None:
    sarcasm = "Lovely, another automatic reply. Thanks a lot."
    assert score_message(sarcasm, model=FixedReading(0.8)).score >= ACKNOWLEDGE_AT
    assert score_message(sarcasm, model=FixedReading(0.3)).score < ACKNOWLEDGE_AT
    # ...while they still damp capitals and punctuation.
    assert score_message("THANK YOU!!!", model=FixedReading(0.3)).score < 0.2
    # The trained classifier has learned such sarcasm, in every language.
    for text in ("Brilliant, another automatic reply. Thanks so much.",
                 "Ευχαριστώ πολύ, πολύ χρήσιμο, τρίτη φορά μου στέλνετε το ίδιο άρθρο",
                 "Ačiū, labai padėjote... jau trečią kartą tą patį straipsnį siunčiate"):
        assert score(text) >= ACKNOWLEDGE_AT, text


def test_a_calm_reading_damps_context_words_and_style_but_not_insults() -> None:
    calm, unsure = FixedReading(0.05), FixedReading(0.3)
    topic = "How should my staff answer an angry customer?"
    assert score_message(topic, model=unsure).score >= ACKNOWLEDGE_AT    # "angry": a complaint word
    damped = score_message(topic, model=calm)
    assert damped.score < ACKNOWLEDGE_AT and "the classifier reads it as calm (words damped)" in damped.reasons
    shouted = "WHERE IS THE ORDER FORM???"
    assert score_message(shouted, model=calm).score < score_message(shouted, model=unsure).score
    assert score_message("you are idiots", model=calm).score == score_message("you are idiots", model=unsure).score
    assert score_message("you are idiots", model=calm).score >= ACKNOWLEDGE_AT
    # The trained classifier reads these as calm, whatever their words.
    for text in ("What should I tell a customer who is angry about a late delivery?",
                 "Πώς απαντάμε σε έναν θυμωμένο πελάτη;",
                 "My lawyer needs a copy of the contract, where can I download it?"):
        assert score(text) < ACKNOWLEDGE_AT, text


def test_calm_questions_are_a_stable_sample_of_the_knowledge_base() -> None:
    from bot.frustration.learned import calm_questions, stable_sample

    questions = [f"question {i}?" for i in range(50)]
    sample = stable_sample(questions, 10)
    assert len(sample) == 10 and set(sample) <= set(questions)
    assert stable_sample(reversed(questions), 10) == sample
    for extra in ("a new question?", "another new question?"):
        assert len(set(stable_sample([*questions, extra], 10)) - set(sample)) <= 1
    assert len(set(stable_sample(questions[1:], 10)) ^ set(sample)) <= 2
    calm = calm_questions(["lt"], per_language=15)
    assert len(calm) == 15 and not any(label for label, _ in calm)


def test_sentence_embeddings_carry_frustration_across_languages() -> None:
    """Trained on English alone, the classifier with embeddings recognises Lithuanian and
    Russian complaints whose words it never saw; on n-grams alone it cannot."""
    from bot import embeddings
    from bot.frustration.learned import load_examples, train

    if embeddings.encoder() is None:
        pytest.fail(f"sentence embeddings unavailable: {embeddings.unavailable_reason()}")
    english = load_examples(languages=["en"])
    with_meaning, chars_only = train(english), train(english, encoder=None)
    assert with_meaning.encoder is not None and chars_only.encoder is None
    complaints = ("Jau trečią savaitę laukiu pinigų grąžinimo, niekas neatsako į laiškus",
                  "Третью неделю жду возврат денег, на письма никто не отвечает")
    questions = ("Kokios jūsų darbo valandos šeštadienį?", "Во сколько вы открываетесь в субботу?")
    gap = min(map(with_meaning.probability, complaints)) - max(map(with_meaning.probability, questions))
    chars_gap = min(map(chars_only.probability, complaints)) - max(map(chars_only.probability, questions))
    assert min(map(with_meaning.probability, complaints)) > 0.5
    assert gap > 0.1
    assert chars_gap < 0 < gap


def test_training_command_reports_what_it_trained_on(capsys: pytest.CaptureFixture[str]) -> None:
    from bot.frustration.__main__ import main
    from bot.frustration.learned import calm_questions, load_examples

    main()
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"frustration classifier: trained on {len(load_examples()) + len(calm_questions())} messages")
    assert "(n-grams and sentence embeddings)" in line
