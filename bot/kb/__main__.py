"""Operator commands for the knowledge base.

    python -m bot.kb check [--root data/kb]
        articles per language, every load error, ids missing in some language;
        exits 1 when there were load errors
    python -m bot.kb search "question" --lang el [--limit 3] [--root data/kb]
        the decision (answer / clarify / none) and the top hits with their scores
"""
from __future__ import annotations

import argparse
import sys
from typing import TextIO

from bot.kb.articles import LANGUAGES
from bot.kb.index import DEFAULT_ROOT, KnowledgeBase

_ROOT_HELP = "knowledge-base folder (default: %(default)s)"


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    args = _parser().parse_args(argv)
    kb = KnowledgeBase.load(args.root)
    if args.command == "check":
        return check(kb, args.root, out)
    return search(kb, args.question, args.lang, args.limit, out)


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
        print("no article shares a word with the question", file=out)
    for rank, hit in enumerate(hits, start=1):
        print(f"  {rank}. {hit.article.id}  score {hit.score:.3f}  confidence {hit.confidence:.2f}  "
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
    search_cmd.add_argument("--root", default=str(DEFAULT_ROOT), help=_ROOT_HELP)
    return parser


if __name__ == "__main__":
    sys.exit(main())
