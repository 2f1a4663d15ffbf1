"""Knowledge-base articles: ``data/kb/<lang>/<article-id>.md`` files and their loader.

An article is a Markdown file with YAML front matter::

    ---
    id: skill-empathy
    title: Empathy in customer service
    tags: [empathy, skills, feelings]
    related: [skill-patience, skill-communication]
    ---
    First paragraph: the short answer (the summary).

    Further paragraphs: the details.

The loader never raises on a bad article: each problem becomes a ``LoadError`` (the
file and a sentence saying what is wrong), the article is skipped and the others still
load. A ``related`` id that does not exist in the same language is reported too, but
the article keeps loading without that link.
"""
from __future__ import annotations

import dataclasses

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

LANGUAGES: tuple[str, ...] = ("el", "ru", "lt", "en")
ARTICLE_SUFFIX = ".md"
FRONT_MATTER_FENCE = "---"
KNOWN_KEYS: tuple[str, ...] = ("id", "title", "tags", "related", "questions")

_ID_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
_HEADING_RE = re.compile(r"^\*\*([^*\n]+)\*\*[ \t]*(?:\n|$)")


@dataclass(frozen=True)
class Article:
    """One article in one language; ``body`` is all the text after the front matter."""

    id: str
    language: str
    title: str
    tags: tuple[str, ...]
    related: tuple[str, ...]
    summary: str
    body: str
    path: Path
    questions: tuple[str, ...] = ()  # how customers ask for it (searched, never shown)

    @property
    def passages(self) -> tuple[Passage, ...]:
        """The body's paragraphs, the summary first; a paragraph that opens with a bold
        line (``**What NPS tells you**``) has it as its heading."""
        found: list[Passage] = []
        for block in _BLANK_LINE_RE.split(self.body):
            block = block.strip()
            if not block or block.startswith("#"):
                continue
            heading = ""
            match = _HEADING_RE.match(block)
            if match:
                heading, block = match.group(1).strip(), block[match.end():].strip()
            if block:
                found.append(Passage(heading, " ".join(block.split())))
        return tuple(found)

    @property
    def details(self) -> str:
        """The body without its first paragraph (the "read more" part); may be empty."""
        parts = _BLANK_LINE_RE.split(self.body, maxsplit=1)
        return parts[1].strip() if len(parts) == 2 else ""


@dataclass(frozen=True)
class Passage:
    """One paragraph of an article, with the bold line that opens it (or "")."""

    heading: str
    text: str

    @property
    def searchable(self) -> str:
        return f"{self.heading}. {self.text}" if self.heading else self.text


@dataclass(frozen=True)
class LoadError:
    """A problem with one file (or folder) under the knowledge-base root."""

    path: Path
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class LoadResult:
    articles: tuple[Article, ...]
    errors: tuple[LoadError, ...]


class ArticleError(ValueError):
    """Why one file is not a valid article (the message is the sentence reported)."""


def load_articles(root: Path) -> LoadResult:
    """Load every article under ``root``; bad files are reported in ``errors`` and skipped."""
    root = Path(root)
    if not root.is_dir():
        return LoadResult((), (LoadError(root, "the knowledge-base folder does not exist"),))
    articles: list[Article] = []
    errors: list[LoadError] = []
    for entry in sorted(root.iterdir()):
        if _hidden(entry) or not entry.is_dir():
            continue  # README files and the like beside the language folders
        if entry.name not in LANGUAGES:
            message = (f"unknown language folder {entry.name!r} (expected one of {', '.join(LANGUAGES)}); "
                       "its files were skipped")
            errors.append(LoadError(entry, message))
            continue
        loaded, failed = _load_language(entry)
        articles.extend(loaded)
        errors.extend(failed)
    return LoadResult(tuple(articles), tuple(errors))


def parse_article(text: str, path: Path, language: str) -> Article:
    """Parse one article's text; raise ``ArticleError`` saying what is wrong."""
    meta, body = split_front_matter(text)
    unknown = sorted(str(key) for key in meta if key not in KNOWN_KEYS)
    if unknown:
        raise ArticleError(f"unknown front-matter key(s) {', '.join(map(repr, unknown))} "
                           f"(expected {', '.join(KNOWN_KEYS)})")
    article_id = meta.get("id")
    if article_id is None or (isinstance(article_id, str) and not article_id.strip()):
        raise ArticleError("missing id in the front matter")
    article_id = str(article_id).strip()
    if article_id != path.stem:
        raise ArticleError(f"id {article_id!r} does not match the file name {path.name!r}")
    if not _ID_RE.match(article_id):
        raise ArticleError(f"invalid id {article_id!r}: use lowercase letters, digits and dashes")
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ArticleError("missing title in the front matter")
    tags = _string_list(meta.get("tags"), "tags")
    related = _string_list(meta.get("related"), "related")
    questions = _string_list(meta.get("questions"), "questions")
    if not body:
        raise ArticleError("empty body: the article has no text after the front matter")
    return Article(
        id=article_id,
        language=language,
        title=" ".join(title.split()),
        tags=tags,
        related=related,
        questions=questions,
        summary=first_paragraph(body),
        body=body,
        path=path,
    )


def split_front_matter(text: str) -> tuple[dict, str]:
    """Split ``---``-fenced YAML front matter from the body (stripped)."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        raise ArticleError("missing front matter: the file must start with a '---' line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FRONT_MATTER_FENCE)
    except StopIteration:
        raise ArticleError("missing front matter: no closing '---' line") from None
    try:
        meta = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "cannot be parsed"
        raise ArticleError(f"invalid YAML in the front matter{where}: {problem}") from None
    if meta is None:
        raise ArticleError("missing front matter: the block between the '---' lines is empty")
    if not isinstance(meta, dict):
        raise ArticleError("invalid YAML in the front matter: expected 'key: value' lines")
    return meta, "\n".join(lines[end + 1:]).strip()


def first_paragraph(body: str) -> str:
    """The first paragraph that is not a Markdown heading, on one line."""
    for block in _BLANK_LINE_RE.split(body):
        block = block.strip()
        if block and not block.startswith("#"):
            return " ".join(block.split())
    return ""


def _load_language(folder: Path) -> tuple[list[Article], list[LoadError]]:
    language = folder.name
    articles: list[Article] = []
    errors: list[LoadError] = []
    for path in sorted(folder.iterdir()):
        if _hidden(path):
            continue
        if path.is_dir() or path.suffix != ARTICLE_SUFFIX:
            errors.append(LoadError(path, f"not an article: expected <article-id>{ARTICLE_SUFFIX} files"))
            continue
        try:
            text = path.read_text(encoding="utf-8")
            articles.append(parse_article(text, path, language))
        except ArticleError as exc:
            errors.append(LoadError(path, str(exc)))
        except UnicodeDecodeError:
            errors.append(LoadError(path, "the file is not valid UTF-8"))
        except OSError as exc:
            errors.append(LoadError(path, f"cannot be read: {exc.strerror or exc}"))
    return _check_related(articles, errors)


def _check_related(articles: list[Article], errors: list[LoadError]) -> tuple[list[Article], list[LoadError]]:
    """Report ``related`` ids missing in the language and drop those links."""
    ids = {article.id for article in articles}
    checked: list[Article] = []
    for article in articles:
        missing = [rid for rid in article.related if rid not in ids]
        if missing:
            errors.append(LoadError(article.path, f"related id(s) {', '.join(map(repr, missing))} "
                                                  f"do not exist in {article.language!r}"))
            kept = tuple(rid for rid in article.related if rid in ids)
            article = dataclasses.replace(article, related=kept)
        checked.append(article)
    return checked, errors


def _string_list(value: object, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ArticleError(f"{key} must be a list, like [a, b]")
    items: list[str] = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, (str, int, float)) or not str(item).strip():
            raise ArticleError(f"{key} must be a list of words or ids, found {item!r}")
        items.append(str(item).strip())
    return tuple(dict.fromkeys(items))


def _hidden(path: Path) -> bool:
    return path.name.startswith(".")
