from __future__ import annotations

import os
from pathlib import Path

from bot.kb import KnowledgeBaseCache, knowledge_base
from bot.kb.index import RELOAD_CHECK_SECONDS, fingerprint


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def edit(path: Path, text: str) -> None:
    """Rewrite a file and move its mtime on, as a later save would."""
    before = path.stat().st_mtime if path.exists() else 0.0
    path.write_text(text, encoding="utf-8")
    os.utime(path, (before + 10, before + 10))


NEW_NPS = """---
id: metrics-nps
title: Net Promoter Score and the quarterly benchmark
tags: [nps]
---
NPS compared with the quarterly benchmark of the industry.
"""


def test_edited_article_is_picked_up_at_the_next_check(kb_root: Path) -> None:
    clock = FakeClock()
    cache = KnowledgeBaseCache(kb_root, clock=clock)
    first = cache.get()
    assert first.search("benchmark", "en") == []

    edit(kb_root / "en" / "metrics-nps.md", NEW_NPS)
    assert cache.get() is first  # not looked at again within the interval

    clock.advance(RELOAD_CHECK_SECONDS)
    second = cache.get()
    assert second is not first
    assert second.article("en", "metrics-nps").title == "Net Promoter Score and the quarterly benchmark"
    assert second.search("benchmark", "en")[0].article.id == "metrics-nps"


def test_unchanged_files_keep_the_loaded_knowledge_base(kb_root: Path) -> None:
    clock = FakeClock()
    cache = KnowledgeBaseCache(kb_root, clock=clock)
    first = cache.get()
    for _ in range(3):
        clock.advance(RELOAD_CHECK_SECONDS * 5)
        assert cache.get() is first


def test_added_removed_and_broken_articles_are_picked_up(kb_root: Path) -> None:
    clock = FakeClock()
    cache = KnowledgeBaseCache(kb_root, clock=clock)
    assert cache.get().article("lt", "new-article") is None

    edit(kb_root / "lt" / "new-article.md", "---\nid: new-article\ntitle: Naujas\n---\nTekstas.")
    clock.advance(RELOAD_CHECK_SECONDS)
    assert cache.get().article("lt", "new-article") is not None

    (kb_root / "lt" / "new-article.md").unlink()
    clock.advance(RELOAD_CHECK_SECONDS)
    assert cache.get().article("lt", "new-article") is None

    edit(kb_root / "ru" / "skill-empathy.md", "no front matter any more")  # no article links to it
    clock.advance(RELOAD_CHECK_SECONDS)
    broken = cache.get()
    assert broken.article("ru", "skill-empathy") is None
    assert [e.path.name for e in broken.errors] == ["skill-empathy.md"]
    assert broken.article("ru", "metrics-nps") is not None


def test_same_size_edit_is_seen_through_the_mtime(kb_root: Path) -> None:
    path = kb_root / "en" / "time-zones.md"
    before = fingerprint(kb_root)
    text = path.read_text(encoding="utf-8")
    edit(path, text.replace("08:00", "09:00"))
    assert len(path.read_bytes()) == len(text.encode("utf-8"))
    assert fingerprint(kb_root) != before


def test_knowledge_base_is_cached_per_root(kb_root: Path, tmp_path: Path) -> None:
    first = knowledge_base(kb_root)
    assert first.article("el", "metrics-nps") is not None
    assert knowledge_base(str(kb_root)) is first
    other = tmp_path / "other"
    (other / "en").mkdir(parents=True)
    assert knowledge_base(other) is not first
    assert knowledge_base(other).languages == ()
