from __future__ import annotations

from pathlib import Path

import pytest

from bot.kb import KnowledgeBase
from tests.bot.kb.corpus import write_articles


@pytest.fixture()
def kb_root(tmp_path: Path) -> Path:
    return write_articles(tmp_path / "kb")


@pytest.fixture(scope="session")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """The small test corpus searched by its words alone (analysis and BM25); the
    sentence embeddings are tested on the real knowledge base in test_dense.py."""
    knowledge_base = KnowledgeBase.load(write_articles(tmp_path_factory.mktemp("kb")), encoder=None)
    assert knowledge_base.errors == ()
    return knowledge_base
