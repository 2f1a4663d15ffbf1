"""Train the learned frustration classifier now, as `make run` and `make test` do before
starting the servers: it embeds the labelled examples not yet in the embedding cache, so
Rasa's first start does not.

    python -m bot.frustration
"""
from __future__ import annotations

import time

from bot.frustration.learned import calm_questions, default_model, load_examples


def main() -> None:
    started = time.monotonic()
    model = default_model()
    features = "n-grams and sentence embeddings" if model.encoder else "n-grams only"
    print(f"frustration classifier: trained on {len(load_examples()) + len(calm_questions())} messages "
          f"({features}) in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
