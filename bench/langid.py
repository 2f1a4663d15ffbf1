"""Language-ID benchmark: raw langdetect against Rapport's language component.

    make bench        (or: .venv/bin/python -m bench.langid)

Reads bench/data/langid_dev.tsv (short customer messages, labelled) and prints accuracy
per language and overall for both, the same on messages of three words or fewer, and the
component's mean time per message. Targets: >= 98 % overall, and >= 25 points above raw
langdetect on messages of three words or fewer.

Then the word-level set bench/data/langid_words.tsv: 150 single words and 100 word pairs
per language from everyday text (Greek and Russian two thirds in their own script, one
third in Greeklish or transliterated; Lithuanian half without diacritics; English with
at least 60 words that look like Greeklish, transliterated Russian or Lithuanian),
written by a writer who saw neither the detector nor its lexicons. Each is detected
alone, as a new conversation's first message would be, by the component, by langdetect
and by lingua, both restricted to the four languages. Targets: single words >= 99 %,
pairs >= 99.9 %.
"""
from __future__ import annotations

import csv
import statistics
import time
from collections import defaultdict
from pathlib import Path

from bot.langid import SUPPORTED

DEV_SET = Path(__file__).parent / "data" / "langid_dev.tsv"
WORDS_SET = Path(__file__).parent / "data" / "langid_words.tsv"


def load(path: Path = DEV_SET) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return [(row["lang"], row["text"]) for row in csv.DictReader(handle, delimiter="\t")]


def raw_langdetect(texts: list[str]) -> list[str | None]:
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    out: list[str | None] = []
    for text in texts:
        try:
            out.append(detect(text))
        except LangDetectException:
            out.append(None)
    return out


def restricted_langdetect(texts: list[str]) -> list[str | None]:
    """langdetect knowing only the four languages served (seeded: deterministic)."""
    from langdetect.lang_detect_exception import LangDetectException

    from bot.langid.detector import restricted_langdetect as factory_for

    factory = factory_for(SUPPORTED)
    out: list[str | None] = []
    for text in texts:
        detector = factory.create()
        detector.append(text)
        try:
            out.append(detector.detect())
        except LangDetectException:
            out.append(None)
    return out


def restricted_lingua(texts: list[str]) -> list[str | None]:
    """lingua knowing only the four languages served (None where it is not installed)."""
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        return [None] * len(texts)
    codes = {Language.GREEK: "el", Language.RUSSIAN: "ru", Language.LITHUANIAN: "lt", Language.ENGLISH: "en"}
    detector = LanguageDetectorBuilder.from_languages(*codes).build()
    return [codes.get(detector.detect_language_of(text)) for text in texts]


def words_benchmark() -> None:
    with WORDS_SET.open(encoding="utf-8") as handle:
        rows = [(row["lang"], row["kind"], row["text"]) for row in csv.DictReader(handle, delimiter="\t")]
    texts = [text for _, _, text in rows]
    systems = {"langdetect": restricted_langdetect(texts), "lingua": restricted_lingua(texts),
               "component": component(texts)[0]}
    print(f"\nWord-level set ({WORDS_SET.relative_to(Path.cwd())}), each detected alone; "
          "langdetect and lingua restricted to el, ru, lt, en")
    print(f"{'set':<10} {'kind':<6} {'n':>4} " + " ".join(f"{name:>11}" for name in systems))
    for language in [*SUPPORTED, "all"]:
        for kind in ("word", "pair"):
            idx = [i for i, (lang, k, _) in enumerate(rows) if k == kind and language in (lang, "all")]
            cells = " ".join(f"{accuracy([(rows[i][0], predicted[i]) for i in idx]):>10.1f}%"
                             for predicted in systems.values())
            print(f"{language:<10} {kind:<6} {len(idx):>4} {cells}")


def component(texts: list[str]) -> tuple[list[str | None], list[float]]:
    """Each message through the Rasa component, as the NLU pipeline runs it."""
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.training_data.message import Message
    import tempfile

    from bot.components.language import LanguageDetector
    from bot.langid import DETECTION_KEY

    with tempfile.TemporaryDirectory() as tmp:
        detector = LanguageDetector.create(
            LanguageDetector.get_default_config(), LocalModelStorage(Path(tmp)),
            Resource("language_detector"), ExecutionContext(GraphSchema({}), "bench"),
        )
        detector.process([Message(data={"text": "warm up"})])  # build the models once
        predictions, seconds = [], []
        for text in texts:
            message = Message(data={"text": text})
            started = time.perf_counter()
            detector.process([message])
            seconds.append(time.perf_counter() - started)
            predictions.append(message.get(DETECTION_KEY)["language"])
    return predictions, seconds


def accuracy(rows: list[tuple[str, str | None]]) -> float:
    return 100.0 * sum(gold == pred for gold, pred in rows) / len(rows) if rows else float("nan")


def main() -> None:
    data = load()
    texts = [text for _, text in data]
    raw = raw_langdetect(texts)
    ours, seconds = component(texts)
    groups: dict[str, list[int]] = defaultdict(list)
    for i, (lang, text) in enumerate(data):
        groups[lang].append(i)
        groups["all"].append(i)
        if len(text.split()) <= 3:
            groups["<=3 words"].append(i)
    print(f"Language ID on {len(data)} short customer messages ({DEV_SET.relative_to(Path.cwd())})")
    print(f"{'set':<10} {'n':>4} {'langdetect':>11} {'component':>10} {'gain':>7}")
    for name in [*SUPPORTED, "all", "<=3 words"]:
        idx = groups[name]
        base = accuracy([(data[i][0], raw[i]) for i in idx])
        mine = accuracy([(data[i][0], ours[i]) for i in idx])
        print(f"{name:<10} {len(idx):>4} {base:>10.1f}% {mine:>9.1f}% {mine - base:>+6.1f}")
    mean_ms = 1000 * statistics.mean(seconds)
    p95_ms = 1000 * sorted(seconds)[int(0.95 * (len(seconds) - 1))]
    print(f"component time per message: mean {mean_ms:.2f} ms, p95 {p95_ms:.2f} ms")
    misses = [(data[i][0], ours[i], data[i][1]) for i in groups["all"] if ours[i] != data[i][0]]
    if misses:
        print("misses (gold -> component: text):")
        for gold, pred, text in misses:
            print(f"  {gold} -> {pred}: {text}")
    if WORDS_SET.exists():
        words_benchmark()


if __name__ == "__main__":
    main()
