"""`python -m handoff` runs the service; `python -m handoff admin ...` manages it."""
from __future__ import annotations

import logging
import sys

from aiohttp import web


def main(argv: list[str]) -> int:
    if argv[:1] == ["admin"]:
        from handoff.admin import main as admin

        return admin(argv[1:])
    from handoff.app import create_app
    from handoff.settings import Settings

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    try:
        settings = Settings.from_env()
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    web.run_app(create_app(settings), host=settings.host, port=settings.port, print=None)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
