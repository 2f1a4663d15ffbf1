"""Operator commands for the knowledge base.

    python -m bot.kb check [--root data/kb]
        articles per language, every load error, ids missing in some language;
        exits 1 when there were load errors
    python -m bot.kb search "question" --lang el [--limit 3] [--words-only] [--root data/kb]
        the decision (answer / clarify / none) and the top hits with their scores
    python -m bot.kb index [--root data/kb]
        build every language's search index now, embedding the texts not yet in the
        embedding cache (var/cache), with progress; `make run` and `make test` do this
        so that the first question does not wait for it
"""
from __future__ import annotations

import argparse
import sys
import time
from typing import TextIO

from bot import embeddings
from bot.kb.articles import LANGUAGES
from bot.kb.index import DEFAULT_ROOT, KnowledgeBase

_ROOT_HELP = "knowledge-base folder (default: %(default)s)"
PROGRESS_EVERY = 256  # texts embedded between progress lines


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    args = _parser().parse_args(argv)
    kb = KnowledgeBase.load(args.root, encoder=None if getattr(args, "words_only", False) else embeddings.AUTO)
    if args.command == "check":
        return check(kb, args.root, out)
    if args.command == "index":
        return index(kb, out)
    return search(kb, args.question, args.lang, args.limit, out)


def index(kb: KnowledgeBase, out: TextIO) -> int:
    if not kb.uses_embeddings:
        print(f"knowledge base: sentence embeddings unavailable ({embeddings.unavailable_reason()}); "
              "searching with words only", file=out)
    started = time.monotonic()
    reported: dict[str, int] = {}

    def progress(language: str, done: int, total: int) -> None:
        if done == total or done - reported.get(language, 0) >= PROGRESS_EVERY:
            reported[language] = done
            print(f"knowledge base: embedding {language} texts {done}/{total}", file=out, flush=True)

    kb.prepare(progress)
    print(f"knowledge base: index ready ({', '.join(kb.languages)}) in {time.monotonic() - started:.1f} s",
          file=out)
    return 0


def check(kb: KnowledgeBase, root: object, out: TextIO) -> int:
    print(f"knowledge base: {root}", file=out)
    for language in LANGUAGES:
        print(f"  {language}: {len(kb.articles(language))} articles", file=out)
    ids = {language: {a.id for a in kb.articles(language)} for language in LANGUAGES}
    everywhere = set().union(*ids.values())
    missing = {aid: [lang for lang in LANGUAGES if aid not in ids[lang]] for aid in sorted(everywhere)}
    missing = {aid: langs for aid, langs in missing.items() if langs}
    if missing:
        print(f"ids missing in some language ({len(missing)}):", file=out)
        for aid, langs in missing.items():
            print(f"  {aid}: missing in {', '.join(langs)}", file=out)
    for language in kb.languages if kb.uses_embeddings else ():
        pairs = kb.overlaps(language)
        if pairs:
            print(f"warning: {language} articles whose sample questions overlap in meaning "
                  "(they compete for the same questions: merge them or sharpen their questions):", file=out)
            for first, second, count in pairs:
                print(f"  {first} / {second}: {count} questions", file=out)
    if kb.errors:
        print(f"load errors ({len(kb.errors)}):", file=out)
        for error in kb.errors:
            print(f"  {error}", file=out)
        print(f"FAILED: {len(kb.errors)} load error(s)", file=out)
        return 1
    print("OK: no load errors", file=out)
    return 0


def search(kb: KnowledgeBase, question: str, language: str, limit: int, out: TextIO) -> int:
    if kb.errors:
        print(f"({len(kb.errors)} load error(s): run `python -m bot.kb check`)", file=out)
    match = kb.match(question, language)
    print(f"match: {match.kind}", file=out)
    hits = kb.search(question, language, limit=limit)
    if not hits:
        print("no article shares a word or a meaning with the question", file=out)
    for rank, hit in enumerate(hits, start=1):
        meaning = "" if hit.similarity is None else f"  similarity {hit.similarity:.3f}"
        print(f"  {rank}. {hit.article.id}  score {hit.score:.3f}  confidence {hit.confidence:.2f}{meaning}  "
              f"{hit.article.title}", file=out)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot.kb", description="Knowledge-base tools.")
    commands = parser.add_subparsers(dest="command", required=True)
    check_cmd = commands.add_parser("check", help="load every article and report problems")
    check_cmd.add_argument("--root", default=str(DEFAULT_ROOT), help=_ROOT_HELP)
    search_cmd = commands.add_parser("search", help="show the top articles for a question")
    search_cmd.add_argument("question")
    search_cmd.add_argument("--lang", required=True, choices=LANGUAGES)
    search_cmd.add_argument("--limit", type=int, default=3)
    search_cmd.add_argument("--words-only", action="store_true",
                            help="BM25 alone, without the sentence embeddings (to compare)")
    search_cmd.add_argument("--root", default=str(DEFAULT_ROOT), help=_ROOT_HELP)
    index_cmd = commands.add_parser("index", help="build the search index now (embeds new texts)")
    index_cmd.add_argument("--root", default=str(DEFAULT_ROOT), help=_ROOT_HELP)
    return parser


if __name__ == "__main__":
    sys.exit(main())
