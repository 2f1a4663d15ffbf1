from __future__ import annotations

from pathlib import Path

import pytest

from bot.kb import load_articles
from tests.bot.kb.corpus import ARTICLES

GOOD = """---
id: good
title: A good article
tags: [good]
---
The summary, first sentence.
Still the summary.

The details.
"""


def write(root: Path, relative: str, text: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def only_error(root: Path) -> tuple[Path, str]:
    result = load_articles(root)
    assert len(result.errors) == 1, result.errors
    return result.errors[0].path, result.errors[0].message


def test_loads_every_article_of_every_language(kb_root: Path) -> None:
    result = load_articles(kb_root)
    assert result.errors == ()
    loaded = {(a.language, a.id) for a in result.articles}
    assert loaded == {(lang, aid) for lang, by_id in ARTICLES.items() for aid in by_id}


def test_article_fields(kb_root: Path) -> None:
    result = load_articles(kb_root)
    nps = next(a for a in result.articles if a.language == "en" and a.id == "metrics-nps")
    assert nps.title == "What is NPS (Net Promoter Score)?"
    assert nps.tags == ("nps", "loyalty", "survey", "metrics")
    assert nps.related == ("metrics-csat",)
    assert nps.path == kb_root / "en" / "metrics-nps.md"
    assert nps.summary.startswith("Net Promoter Score (NPS) measures how likely")
    assert nps.summary.endswith("the percentage of detractors (0-6).")
    assert "\n" not in nps.summary
    assert nps.body.startswith("Net Promoter Score (NPS)")
    assert nps.body.endswith("comes with a score.")
    assert nps.details.startswith("- Promoters (9-10)")


def test_summary_is_the_first_paragraph_and_body_everything_after_front_matter(tmp_path: Path) -> None:
    write(tmp_path, "en/good.md", GOOD)
    [article] = load_articles(tmp_path).articles
    assert article.summary == "The summary, first sentence. Still the summary."
    assert article.body == "The summary, first sentence.\nStill the summary.\n\nThe details."
    assert article.details == "The details."
    assert article.related == ()


def test_tags_and_related_are_optional_and_crlf_is_fine(tmp_path: Path) -> None:
    write(tmp_path, "lt/plain.md", "---\r\nid: plain\r\ntitle: Paprastas\r\n---\r\nTekstas.\r\n")
    [article] = load_articles(tmp_path).articles
    assert (article.language, article.tags, article.related, article.body) == ("lt", (), (), "Tekstas.")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id: bad\ntitle: No fences\n\nText.", "missing front matter: the file must start with a '---' line"),
        ("---\nid: bad\ntitle: Never closed\nText.", "missing front matter: no closing '---' line"),
        ("---\n---\nText.", "missing front matter: the block between the '---' lines is empty"),
        ("---\nid: bad\ntitle: [unclosed\n---\nText.", "invalid YAML in the front matter"),
        ("---\n- just\n- a list\n---\nText.", "invalid YAML in the front matter: expected 'key: value'"),
        ("---\ntitle: No id\n---\nText.", "missing id in the front matter"),
        ("---\nid: other\ntitle: Wrong id\n---\nText.", "id 'other' does not match the file name 'bad.md'"),
        ("---\nid: bad\n---\nText.", "missing title in the front matter"),
        ("---\nid: bad\ntitle: '  '\n---\nText.", "missing title in the front matter"),
        ("---\nid: bad\ntitle: Empty\n---\n\n  \n", "empty body: the article has no text after"),
        ("---\nid: bad\ntitle: Tags\ntags: nps, csat\n---\nText.", "tags must be a list, like [a, b]"),
        ("---\nid: bad\ntitle: Related\nrelated: [{x: 1}]\n---\nText.", "related must be a list of words"),
        ("---\nid: bad\ntitle: Typo\ntag: [nps]\n---\nText.", "unknown front-matter key(s) 'tag'"),
    ],
)
def test_a_malformed_article_is_reported_and_skipped_and_the_rest_still_load(
        tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path, "en/good.md", GOOD)
    bad = write(tmp_path, "en/bad.md", text)
    result = load_articles(tmp_path)
    assert [a.id for a in result.articles] == ["good"]
    [error] = result.errors
    assert error.path == bad
    assert error.message.startswith(message)
    assert str(error) == f"{bad}: {error.message}"


def test_invalid_yaml_error_says_where(tmp_path: Path) -> None:
    write(tmp_path, "en/bad.md", "---\nid: bad\ntitle: ok\ntags: [a, b\n---\nText.")
    _, message = only_error(tmp_path)
    assert message.startswith("invalid YAML in the front matter (line ")


def test_id_must_be_a_lowercase_slug(tmp_path: Path) -> None:
    write(tmp_path, "en/Bad Id.md", "---\nid: Bad Id\ntitle: Spaces\n---\nText.")
    _, message = only_error(tmp_path)
    assert message == "invalid id 'Bad Id': use lowercase letters, digits and dashes"


def test_unknown_language_folder_is_reported_and_its_files_skipped(tmp_path: Path) -> None:
    write(tmp_path, "en/good.md", GOOD)
    write(tmp_path, "de/good.md", GOOD)
    result = load_articles(tmp_path)
    assert [(a.language, a.id) for a in result.articles] == [("en", "good")]
    [error] = result.errors
    assert error.path == tmp_path / "de"
    assert error.message.startswith("unknown language folder 'de' (expected one of el, ru, lt, en)")


def test_related_id_missing_in_the_language_is_reported_and_the_link_dropped(tmp_path: Path) -> None:
    write(tmp_path, "en/good.md", GOOD)
    write(tmp_path, "ru/good.md", GOOD)  # exists in Russian only: does not count for Greek
    linking = write(tmp_path, "el/linking.md",
                    "---\nid: linking\ntitle: Σύνδεσμοι\nrelated: [good, linking-two]\n---\nΚείμενο.")
    write(tmp_path, "el/linking-two.md", "---\nid: linking-two\ntitle: Δεύτερο\n---\nΚείμενο.")
    result = load_articles(tmp_path)
    [error] = result.errors
    assert (error.path, error.message) == (linking, "related id(s) 'good' do not exist in 'el'")
    article = next(a for a in result.articles if a.id == "linking")
    assert article.related == ("linking-two",)
    assert len(result.articles) == 4


def test_stray_files_are_reported_and_hidden_files_ignored(tmp_path: Path) -> None:
    write(tmp_path, "en/good.md", GOOD)
    write(tmp_path, "en/.gitkeep", "")
    write(tmp_path, "README.md", "How to write articles.")
    stray = write(tmp_path, "en/notes.txt", "draft")
    path, message = only_error(tmp_path)
    assert (path, message) == (stray, "not an article: expected <article-id>.md files")


def test_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "en/good.md", GOOD)
    bad = write(tmp_path, "en/latin1.md", "---\nid: latin1\ntitle: Caf\xe9\n---\nText.".encode("latin-1"))
    assert only_error(tmp_path) == (bad, "the file is not valid UTF-8")


def test_missing_root_is_one_error(tmp_path: Path) -> None:
    result = load_articles(tmp_path / "nowhere")
    assert result.articles == ()
    assert [e.message for e in result.errors] == ["the knowledge-base folder does not exist"]
