"""Knowledge-base retrieval benchmark.

    make bench        (or: .venv/bin/python -m bench.kb)

Reads bench/data/kb_dev_<lang>.tsv (paraphrased questions, none of them in the training
data, each with the article that answers it) and prints top-1 and top-3 article accuracy
per language, how often the answer would be given directly (match kind "answer") and
right, and the median and p95 time to answer a question. Target: >= 90 % top-1 in every
language. The baseline row is plain word overlap (lowercased, no lemmas, no weights) on
the same articles, so the figures say what the analysis and BM25 add.
"""
from __future__ import annotations

import csv
import re
import statistics
import time
from pathlib import Path

from bot.kb import DEFAULT_ROOT, KnowledgeBase

DATA = Path(__file__).parent / "data"
LANGUAGES = ("el", "ru", "lt", "en")


def load_questions(language: str) -> list[tuple[str, str]]:
    path = DATA / f"kb_dev_{language}.tsv"
    with path.open(encoding="utf-8") as handle:
        return [(row["article_id"], row["question"]) for row in csv.DictReader(handle, delimiter="\t")]


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def overlap_top1(kb: KnowledgeBase, language: str, question: str) -> str | None:
    words = _words(question)
    best = max(kb.articles(language), key=lambda a: len(words & _words(f"{a.title} {a.body}")), default=None)
    return best.id if best else None


def main() -> None:
    kb = KnowledgeBase.load(DEFAULT_ROOT)
    kb.search("warm up", "en")
    print(f"Knowledge base: {', '.join(f'{lang} {len(kb.articles(lang))}' for lang in LANGUAGES)} articles")
    print(f"{'lang':<5} {'n':>4} {'overlap@1':>10} {'top-1':>7} {'top-3':>7} {'answered':>9} "
          f"{'ans-right':>9} {'median':>8} {'p95':>8}")
    all_seconds: list[float] = []
    for language in LANGUAGES:
        questions = load_questions(language)
        top1 = top3 = answered = answered_right = baseline = 0
        seconds: list[float] = []
        for expected, question in questions:
            started = time.perf_counter()
            hits = kb.search(question, language, limit=3)
            match = kb.match(question, language)
            seconds.append(time.perf_counter() - started)
            ids = [h.article.id for h in hits]
            top1 += bool(ids) and ids[0] == expected
            top3 += expected in ids
            answered += match.kind == "answer"
            answered_right += match.kind == "answer" and match.hits[0].article.id == expected
            baseline += overlap_top1(kb, language, question) == expected
        n = len(questions)
        all_seconds += seconds
        print(f"{language:<5} {n:>4} {100 * baseline / n:>9.1f}% {100 * top1 / n:>6.1f}% {100 * top3 / n:>6.1f}% "
              f"{100 * answered / n:>8.1f}% {100 * answered_right / max(answered, 1):>8.1f}% "
              f"{1000 * statistics.median(seconds):>6.2f}ms {1000 * sorted(seconds)[int(0.95 * (n - 1))]:>6.2f}ms")
        misses = [(e, q) for e, q in questions if (kb.search(q, language, limit=1) or [None])[0] is None
                  or kb.search(q, language, limit=1)[0].article.id != e]
        for expected, question in misses:
            got = kb.search(question, language, limit=1)
            print(f"      miss: {question!r} expected {expected}, got {got[0].article.id if got else None}")
    print(f"all   median answer latency {1000 * statistics.median(all_seconds):.2f} ms")


if __name__ == "__main__":
    main()
