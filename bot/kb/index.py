"""Search over the knowledge base: one BM25 index per language, and the answer decision.

Scoring is Okapi BM25 over one bag of terms per article in which a title term counts
``FIELD_WEIGHTS["title"]`` times, a tag term ``FIELD_WEIGHTS["tags"]`` times and a body
term once. Raw BM25 scores depend on the query and on the language's collection, so
each hit also gets a ``confidence`` in [0, 1]: the idf-weighted share of the query the
article covers, where a term counts fully once it is as strong as one title mention
(``FULL_MATCH_TF``) and words the language's articles never use count
``UNKNOWN_TERM_WEIGHT`` of a rare word. The thresholds of ``KnowledgeBase.match`` work
on that confidence, so one set of numbers serves every language.

Beside the words, the search knows meaning (bot.kb.dense, on sentence embeddings): each
language's ``DenseIndex`` gives a question's similarity to every article, and an
``ArticleClassifier`` trained on every language's sample questions gives how likely the
question asks for each article. They find the article when the customer's words and the
article's differ ("my order never came" and "delivery delays"). The three rankings are
fused as z-scores over the language's articles (``DENSE_WEIGHT``, ``CLASSIFIER_WEIGHT``,
``BM25_WEIGHT``); a ``Hit.score`` is then that fused value. Without embeddings (``RAPPORT_EMBEDDINGS=off``,
or an engine that does not load) the search is BM25 alone and ``score`` is the BM25 score.

The answer decision (``KnowledgeBase.match``), calibrated on the dev and held-out
question sets (bench/data/kb_*), where the top hit is right for about 95 % of the
questions and a clarifying question rarely found a better one:

- nothing: no article shares a word or is close in meaning; or the best covers under
  ``CLARIFY_MIN_CONFIDENCE`` of the question's words, is not close in meaning and is not
  far ahead of the others;
- "did you mean...?" when nothing is close in meaning (the closest sample question under
  ``DENSE_FLOOR``, a little lower for a long question: "I want to order a pizza" shares
  words with the empathy article, not its meaning) and the top hit is not
  ``DECISIVE_MARGIN`` ahead on the fused scale; or when the question is truly
  ambiguous: the runner-up within ``TIE_MARGIN`` of the top and on another topic
  (neither article lists the other as related);
- otherwise the top article is answered, and the next ones are offered beside it
  (``Match.related``).

``KnowledgeBase.passage`` then picks the paragraph of the article that answers the
question best (its meaning and its words), not always the first.

``knowledge_base(root)`` is the process-wide entry point: it loads the articles once and
loads them again when a file under ``root`` changes (checked at most once a second), so
articles can be edited without restarting anything.
"""
from __future__ import annotations

import math
import os
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Literal, Sequence

import numpy as np

from bot import embeddings
from bot.kb.analysis import strip_greeting, terms
from bot.kb.articles import LANGUAGES, Article, LoadError, load_articles
from bot.kb.dense import DENSE_FLOOR, ArticleClassifier, DenseIndex, dense_confidence, overlapping_articles
from bot.kb.synonyms import Expander, SynonymGroup, load_synonyms

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "data" / "kb"

# BM25 (Okapi).
K1 = 1.5
B = 0.75
FIELD_WEIGHTS: dict[str, int] = {"title": 3, "tags": 2, "questions": 2, "body": 1}

# Confidence.
FULL_MATCH_TF = 3.0          # weighted term frequency that counts as a full match (one title mention)
UNKNOWN_TERM_WEIGHT = 0.3    # a word no article uses, relative to a word only one article uses

# Match decision: first values, to be tuned on the dev sets. On bench/data/kb_dev_en.tsv
# as first written (67 paraphrased questions, 78 articles) they answer 30 questions, 28
# of them rightly, and offer choices for the rest. A question word found once in a body
# of average length covers about 0.6 of itself, once in the tags 0.85, in the title 1.
ANSWER_MIN_CONFIDENCE = 0.6     # the top hit must cover at least this much of the question...
AMBIGUOUS_SCORE_RATIO = 0.9     # ...and the runner-up score less than this share of the top score
CLARIFY_MIN_CONFIDENCE = 0.25   # below this the top hit is not relevant: "none"
CLARIFY_HIT_MIN_CONFIDENCE = 0.1  # hits offered when clarifying need at least this
CLARIFY_MAX_HITS = 3

# A term added for a customer's expression (data/kb/synonyms.yml) counts this much of a
# term the customer typed.
SYNONYM_WEIGHT = 0.5
LITERAL_WEIGHT = 0.5
# Terms in more than this share of a language's articles tell no concept apart.
COMMON_TERM_SHARE = 0.25

# Fusion of BM25 with the embeddings (bot.kb.dense): chosen on the dev sets
# (bench/data/kb_dev_*) among a small grid.
DENSE_WEIGHT = 1.0
CLASSIFIER_WEIGHT = 1.0
BM25_WEIGHT = 1.0
TIE_MARGIN = 0.25            # fused scores: a runner-up on another topic within this is a tie
DECISIVE_MARGIN = 2.0        # this far ahead, the top hit is answered even when not close in meaning
LONG_QUESTION_WORDS = 12     # a question longer than this (a situation told first)...
LONG_QUESTION_SLACK = 0.015  # ...is close in meaning from DENSE_FLOOR minus this
RELATED_MAX = 2              # articles offered beside an answer: the next hits, if within
RELATED_GAP = 2.5            # this of the top on the fused scale or on the same topic

# The paragraph to answer with: meaning and words, and the summary unless another
# paragraph is clearly better.
PASSAGE_WORDS_WEIGHT = 0.1   # share of the question's terms in the paragraph, beside the cosine
PASSAGE_MARGIN = 0.02        # what a paragraph must beat the summary by
PASSAGE_MAX_SENTENCES = 5

RELOAD_CHECK_SECONDS = 1.0


MatchKind = Literal["answer", "clarify", "none"]


@dataclass(frozen=True)
class Hit:
    article: Article
    score: float
    confidence: float
    similarity: float | None = None  # embeddings: the closest sample question's cosine


@dataclass(frozen=True)
class Match:
    """What to do with a question: answer with ``hits[0]`` (and offer ``related``), offer
    ``hits``, or nothing."""

    kind: MatchKind
    hits: tuple[Hit, ...] = ()

    @property
    def article(self) -> Article | None:
        return self.hits[0].article if self.kind == "answer" else None

    @property
    def related(self) -> tuple[Article, ...]:
        """Beside an answer: the next articles worth offering."""
        if self.kind != "answer":
            return ()
        top = self.hits[0]
        return tuple(hit.article for hit in self.hits[1:1 + RELATED_MAX]
                     if hit.confidence >= CLARIFY_HIT_MIN_CONFIDENCE
                     and (top.score - hit.score <= RELATED_GAP or same_topic(top.article, hit.article)))


class Bm25Index:
    """BM25 over the articles of one language."""

    def __init__(self, articles: Sequence[Article], analyse: Callable[[str], list[str]],
                 synonyms: Sequence[SynonymGroup] = ()) -> None:
        self.articles = tuple(articles)
        self._analyse = analyse
        self._docs: list[Counter[str]] = [self._document(article) for article in self.articles]
        self._lengths = [sum(doc.values()) for doc in self._docs]
        self._avg_length = (sum(self._lengths) / len(self._docs)) if self._docs else 0.0
        self._df: Counter[str] = Counter(term for doc in self._docs for term in doc)
        count = len(self._docs)
        self._idf = {term: _idf(count, df) for term, df in self._df.items()}
        common = {term for term, df in self._df.items() if df > COMMON_TERM_SHARE * count}
        self._expander = Expander(synonyms, analyse, common)
        self._unknown_weight = UNKNOWN_TERM_WEIGHT * _idf(count, 1)
        self._full_match = FULL_MATCH_TF * (K1 + 1) / (FULL_MATCH_TF + K1)

    def search(self, text: str, limit: int) -> list[Hit]:
        query = self._expander.expand(self._analyse(text), SYNONYM_WEIGHT, LITERAL_WEIGHT)
        if not query or not self._docs:
            return []
        query_weight = sum(w * self._idf.get(term, self._unknown_weight) for term, w in query.items())
        hits: list[Hit] = []
        for article, doc, length in zip(self.articles, self._docs, self._lengths):
            norm = K1 * (1 - B + B * length / self._avg_length)
            score = covered = 0.0
            for term, weight in query.items():
                tf = doc.get(term)
                if tf:
                    saturation = tf * (K1 + 1) / (tf + norm)
                    score += weight * self._idf[term] * saturation
                    covered += weight * self._idf[term] * min(1.0, saturation / self._full_match)
            if score > 0:
                hits.append(Hit(article, score, min(1.0, covered / query_weight)))
        hits.sort(key=lambda hit: (-hit.score, hit.article.id))
        return hits[:limit]

    def _document(self, article: Article) -> Counter[str]:
        doc: Counter[str] = Counter()
        fields = {"title": article.title, "tags": " ".join(article.tags),
                  "questions": " ".join(article.questions), "body": article.body}
        for name, text in fields.items():
            for term in self._analyse(text):
                doc[term] += FIELD_WEIGHTS[name]
        return doc


class KnowledgeBase:
    """Articles of every language, searchable per language."""

    def __init__(self, articles: Iterable[Article], errors: Iterable[LoadError] = (),
                 synonyms: dict[str, tuple[SynonymGroup, ...]] | None = None,
                 encoder: embeddings.Encoder | None | str = embeddings.AUTO) -> None:
        self._encoder = embeddings.encoder() if encoder == embeddings.AUTO else encoder
        self._articles: dict[str, dict[str, Article]] = {}
        self._synonyms = dict(synonyms or {})
        for article in articles:
            self._articles.setdefault(article.language, {})[article.id] = article
        self._errors = tuple(errors)
        self._indexes: dict[str, Bm25Index] = {}
        self._dense: dict[str, DenseIndex] = {}
        self._classifier: ArticleClassifier | None = None
        self._lock = threading.Lock()

    @classmethod
    def load(cls, root: Path | str, encoder: embeddings.Encoder | None | str = embeddings.AUTO) -> KnowledgeBase:
        result = load_articles(Path(root))
        synonyms, synonym_errors = load_synonyms(Path(root))
        return cls(result.articles, (*result.errors, *synonym_errors), synonyms, encoder)

    @property
    def uses_embeddings(self) -> bool:
        return self._encoder is not None

    def prepare(self, progress: Callable[[str, int, int], None] | None = None) -> None:
        """Build every language's indexes now rather than on its first question."""
        for language in self.languages:
            self._index(language)
            if self._encoder is not None:
                self._dense_index(language, None if progress is None
                                  else lambda done, total, lang=language: progress(lang, done, total))
        if self._encoder is not None:
            self._article_classifier()

    @property
    def languages(self) -> tuple[str, ...]:
        """Languages with at least one article."""
        return tuple(lang for lang in LANGUAGES if self._articles.get(lang))

    @property
    def errors(self) -> tuple[LoadError, ...]:
        return self._errors

    def articles(self, language: str) -> tuple[Article, ...]:
        return tuple(sorted(self._articles.get(_checked(language), {}).values(), key=lambda a: a.id))

    def article(self, language: str, article_id: str) -> Article | None:
        return self._articles.get(_checked(language), {}).get(article_id)

    def search(self, text: str, language: str, limit: int = 3) -> list[Hit]:
        """The best ``limit`` articles for ``text``, best first: articles sharing a term
        with it, or whose sample questions are close enough in meaning (``DENSE_FLOOR``)."""
        question = strip_greeting(text, language)
        index = self._index(language)
        if self._encoder is None or not index.articles or not question.strip():
            return index.search(question, limit)
        lexical = {hit.article.id: hit for hit in index.search(question, len(index.articles))}
        query = self._encoder.one(question, "query")
        dense, closest = self._dense_index(language).similarities(query)
        learned = self._article_classifier().log_probabilities(query, index.articles)
        words = np.array([lexical[a.id].score if a.id in lexical else 0.0 for a in index.articles])
        fused = (DENSE_WEIGHT * _standardised(dense) + CLASSIFIER_WEIGHT * _standardised(learned)
                 + BM25_WEIGHT * _standardised(words))
        hits = []
        for row in np.argsort(-fused, kind="stable"):
            article = index.articles[row]
            semantic = dense_confidence(float(closest[row]))
            if article.id not in lexical and not semantic:
                continue  # neither the words nor the meaning: not a hit
            confidence = max(lexical[article.id].confidence if article.id in lexical else 0.0, semantic)
            hits.append(Hit(article, round(float(fused[row]), 4), confidence, round(float(closest[row]), 4)))
            if len(hits) == limit:
                break
        return hits

    def match(self, text: str, language: str, exclude: Iterable[str] = ()) -> Match:
        """What to do with a question; articles in ``exclude`` (already answered for the
        same question) are left out, so the next-nearest come first."""
        skip = set(exclude)
        hits = [hit for hit in self.search(text, language, limit=CLARIFY_MAX_HITS + len(skip))
                if hit.article.id not in skip][:CLARIFY_MAX_HITS]
        if not hits:
            return Match("none")
        top = hits[0]
        margin = top.score - hits[1].score if len(hits) > 1 else math.inf
        close = self._close_in_meaning(top, text)
        if top.confidence < CLARIFY_MIN_CONFIDENCE and not close and (self._encoder is None
                                                                      or margin < DECISIVE_MARGIN):
            return Match("none")
        if self._answers(hits, close, margin):
            return Match("answer", tuple(hits))
        offered = tuple(hit for hit in hits if hit.confidence >= CLARIFY_HIT_MIN_CONFIDENCE)
        return Match("clarify", offered)

    def _close_in_meaning(self, hit: Hit, text: str) -> bool:
        """Whether the hit's closest sample question is close to the question in meaning;
        a long question (a situation told first) is further from any short sample
        question, so the floor is ``LONG_QUESTION_SLACK`` lower for it."""
        if hit.similarity is None:
            return False
        slack = LONG_QUESTION_SLACK if len(text.split()) > LONG_QUESTION_WORDS else 0.0
        return hit.similarity >= DENSE_FLOOR - slack

    def _answers(self, hits: list[Hit], close: bool, margin: float) -> bool:
        """Whether the top hit is likely enough to answer with (``hits`` are relevant)."""
        top = hits[0]
        if self._encoder is None:  # BM25 scores: covered enough, and the runner-up a share behind
            return top.confidence >= ANSWER_MIN_CONFIDENCE and (
                len(hits) < 2 or hits[1].score < AMBIGUOUS_SCORE_RATIO * top.score)
        if not close and margin < DECISIVE_MARGIN:
            return False  # the words match, the meaning does not ("order a pizza")
        if margin >= TIE_MARGIN:  # fused z-scores
            return True
        return same_topic(top.article, hits[1].article)

    def overlaps(self, language: str) -> list[tuple[str, str, int]]:
        """Pairs of the language's articles whose sample questions overlap in meaning
        (bot.kb.dense.overlapping_articles); empty without embeddings."""
        return [] if self._encoder is None else overlapping_articles(self._dense_index(language))

    def passage(self, article: Article, text: str) -> str:
        """The part of ``article`` that answers ``text``: its best paragraph (2 to
        ``PASSAGE_MAX_SENTENCES`` sentences), the summary unless another is clearly better."""
        passages = article.passages
        if not passages:
            return article.summary
        best = 0
        if len(passages) > 1 and self._encoder is not None and article.language in self.languages:
            question = strip_greeting(text, article.language)
            wanted = set(terms(question, article.language))
            if wanted:
                cosines = self._dense_index(article.language).paragraph_similarities(
                    article, self._encoder.one(question, "query"))
                shares = [len(wanted & set(terms(p.searchable, article.language))) / len(wanted) for p in passages]
                scores = [float(c) + PASSAGE_WORDS_WEIGHT * share for c, share in zip(cosines, shares)]
                top = max(range(len(scores)), key=scores.__getitem__)
                if scores[top] - scores[0] >= PASSAGE_MARGIN:
                    best = top
        sentences = split_sentences(passages[best].text, article.language)
        if best and len(sentences) < 2:  # one sentence out of context: the summary's first leads in
            sentences = split_sentences(passages[0].text, article.language)[:1] + sentences
        return " ".join(sentences[:PASSAGE_MAX_SENTENCES])

    def _dense_index(self, language: str, progress: embeddings.Progress | None = None) -> DenseIndex:
        with self._lock:
            index = self._dense.get(language)
            if index is None:
                assert self._encoder is not None
                index = DenseIndex(self.articles(language), self._encoder, progress)
                self._dense[language] = index
            return index

    def _article_classifier(self) -> ArticleClassifier:
        if self._classifier is not None:  # every search asks: no index lookups once trained
            return self._classifier
        indexes = {language: self._dense_index(language) for language in self.languages}
        with self._lock:
            if self._classifier is None:
                self._classifier = ArticleClassifier(indexes)
            return self._classifier

    def _index(self, language: str) -> Bm25Index:
        with self._lock:
            index = self._indexes.get(_checked(language))
            if index is None:
                index = Bm25Index(self.articles(language), lambda text: terms(text, language),
                                  self._synonyms.get(language, ()))
                self._indexes[language] = index
            return index


class KnowledgeBaseCache:
    """The knowledge base under ``root``, loaded again when its files change.

    The files are looked at (paths, sizes, modification times) at most once every
    ``check_every`` seconds of ``clock``.
    """

    def __init__(self, root: Path | str, *, check_every: float = RELOAD_CHECK_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.root = Path(root)
        self._check_every = check_every
        self._clock = clock
        self._lock = threading.Lock()
        self._kb: KnowledgeBase | None = None
        self._fingerprint: tuple | None = None
        self._checked_at = 0.0

    def get(self) -> KnowledgeBase:
        with self._lock:
            now = self._clock()
            if self._kb is not None and now - self._checked_at < self._check_every:
                return self._kb
            self._checked_at = now
            current = fingerprint(self.root)
            if self._kb is None or current != self._fingerprint:
                self._kb = KnowledgeBase.load(self.root)
                self._fingerprint = current
            return self._kb


def fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Every file and folder under ``root`` with its size and modification time."""
    entries: list[tuple[str, int, int]] = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in [*dirs, *sorted(files)]:
            path = os.path.join(folder, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue  # removed while we looked; the next check sees it gone
            entries.append((os.path.relpath(path, root), stat.st_size, stat.st_mtime_ns))
    return tuple(entries)


_CACHES: dict[Path, KnowledgeBaseCache] = {}
_CACHES_LOCK = threading.Lock()


def knowledge_base(root: Path | str = DEFAULT_ROOT) -> KnowledgeBase:
    """The process-wide knowledge base under ``root``, reloaded when its files change."""
    key = Path(root).resolve()
    with _CACHES_LOCK:
        cache = _CACHES.get(key)
        if cache is None:
            cache = _CACHES[key] = KnowledgeBaseCache(key)
    return cache.get()


def same_topic(first: Article, second: Article) -> bool:
    """Whether two articles are about one topic: either lists the other as related."""
    return second.id in first.related or first.id in second.related


_SENTENCE_END_RE = {"el": re.compile(r"(?<=[.!?;…])\s+(?=\S)"), "default": re.compile(r"(?<=[.!?…])\s+(?=\S)")}


def split_sentences(text: str, language: str) -> list[str]:
    """Sentences of one paragraph (the Greek question mark is ';')."""
    pattern = _SENTENCE_END_RE.get(language, _SENTENCE_END_RE["default"])
    return [part.strip() for part in pattern.split(text.strip()) if part.strip()]


def _standardised(values: np.ndarray) -> np.ndarray:
    spread = float(values.std())
    return (values - values.mean()) / spread if spread > 1e-9 else np.zeros_like(values, dtype=np.float64)


def _idf(count: int, df: int) -> float:
    return math.log(1 + (count - df + 0.5) / (df + 0.5))


def _checked(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r} (expected one of {', '.join(LANGUAGES)})")
    return language
