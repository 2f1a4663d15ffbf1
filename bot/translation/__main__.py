"""Manage language packs: ``python -m bot.translation install FILE... | list | translate``."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.translation.engine import TranslationUnavailable, translator
from bot.translation.pack import PackError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.translation", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    install = commands.add_parser("install", help="install .argosmodel files")
    install.add_argument("files", nargs="+", type=Path)
    commands.add_parser("list", help="list installed pairs")
    text = commands.add_parser("translate", help="translate a text with the installed packs")
    text.add_argument("--from", dest="source", required=True)
    text.add_argument("--to", dest="target", required=True)
    text.add_argument("text")
    args = parser.parse_args(argv)
    engine = translator()

    if args.command == "install":
        failed = 0
        for path in args.files:
            try:
                pack = engine.install(path)
            except PackError as error:
                print(f"error: {error}", file=sys.stderr)
                failed += 1
                continue
            print(f"installed {pack.from_code} -> {pack.to_code} {pack.version} ({path.name})")
        print(f"packs folder: {engine.settings.packages_dir}")
        return 1 if failed else 0
    if args.command == "list":
        pairs = engine.pairs()
        for source, target in pairs:
            print(f"{source} -> {target}")
        if not pairs:
            print(f"no language packs installed in {engine.settings.packages_dir}")
        return 0
    try:
        result = engine.translate(args.text, args.source, args.target)
    except (TranslationUnavailable, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(result.text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
