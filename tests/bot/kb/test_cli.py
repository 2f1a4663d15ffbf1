from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from bot.kb.__main__ import main

REPO = Path(__file__).resolve().parents[3]


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def test_check_of_a_good_knowledge_base_exits_0(kb_root: Path) -> None:
    code, out = run("check", "--root", str(kb_root))
    assert code == 0
    for language in ("el", "ru", "lt", "en"):
        assert f"  {language}: 5 articles" in out
    assert "missing in" not in out
    assert "OK: no load errors" in out


def test_check_reports_errors_and_missing_ids_and_exits_1(kb_root: Path) -> None:
    (kb_root / "lt" / "time-zones.md").unlink()
    bad = kb_root / "ru" / "metrics-csat.md"
    bad.write_text("---\nid: csat\ntitle: CSAT\n---\nТекст.", encoding="utf-8")
    (kb_root / "fr").mkdir()
    code, out = run("check", "--root", str(kb_root))
    assert code == 1
    assert "  lt: 4 articles" in out
    assert "  ru: 4 articles" in out
    assert f"  {bad}: id 'csat' does not match the file name 'metrics-csat.md'" in out
    assert f"  {kb_root / 'fr'}: unknown language folder 'fr'" in out
    assert "  metrics-csat: missing in ru" in out
    assert "  time-zones: missing in lt" in out
    # Articles linking to the ones that went missing are reported too.
    assert f"  {kb_root / 'ru' / 'metrics-nps.md'}: related id(s) 'metrics-csat' do not exist in 'ru'" in out
    refunds = kb_root / "lt" / "refunds-self-service.md"
    assert f"  {refunds}: related id(s) 'time-zones' do not exist in 'lt'" in out
    assert "FAILED: 4 load error(s)" in out


def test_missing_translation_alone_is_not_an_error(kb_root: Path) -> None:
    (kb_root / "el" / "skill-empathy.md").unlink()
    # No other article links to the empathy article.
    code, out = run("check", "--root", str(kb_root))
    assert code == 0
    assert "  skill-empathy: missing in el" in out


def test_check_as_a_command_exits_with_its_status(kb_root: Path) -> None:
    command = [sys.executable, "-m", "bot.kb", "check", "--root", str(kb_root)]
    assert subprocess.run(command, cwd=REPO, capture_output=True).returncode == 0
    (kb_root / "en" / "metrics-nps.md").write_text("no front matter", encoding="utf-8")
    broken = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    assert broken.returncode == 1
    assert "metrics-nps.md: missing front matter" in broken.stdout


def test_search_prints_the_decision_and_the_top_hits(kb_root: Path) -> None:
    code, out = run("search", "ti einai to nps", "--lang", "el", "--words-only", "--root", str(kb_root))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "match: answer"
    assert lines[1].startswith("  1. metrics-nps  score ")
    assert "confidence 1.00" in lines[1]
    assert lines[1].endswith("Τι είναι το NPS (Net Promoter Score);")


def test_search_without_hits(kb_root: Path) -> None:
    code, out = run("search", "рецепт борща", "--lang", "ru", "--words-only", "--root", str(kb_root))
    assert code == 0
    assert out.splitlines() == ["match: none", "no article shares a word or a meaning with the question"]


def test_check_warns_of_articles_whose_questions_overlap_in_meaning(tmp_path: Path) -> None:
    questions = ["how do we keep customers from leaving", "why do our clients stop buying from us",
                 "how to stop losing customers", "what makes customers go to a competitor",
                 "how can we win back customers who left"]
    topics = {"keeping-customers": ("Keeping customers", questions),
              "customer-loss": ("Losing customers", [q + "?" for q in questions]),
              "opening-hours": ("Opening hours", ["when are you open", "what time do you close on saturday",
                                                  "are you open on sundays", "holiday opening times",
                                                  "until when can I call you"])}
    folder = tmp_path / "en"
    folder.mkdir()
    for article_id, (title, asked) in topics.items():
        listed = "".join(f'  - "{q}"\n' for q in asked)
        (folder / f"{article_id}.md").write_text(
            f"---\nid: {article_id}\ntitle: {title}\ntags: [x]\nquestions:\n{listed}---\n{title} explained.\n",
            encoding="utf-8")
    code, out = run("check", "--root", str(tmp_path))
    assert code == 0  # a warning, not an error
    assert "overlap in meaning" in out
    assert "customer-loss / keeping-customers: " in out
    assert "opening-hours" not in out.split("overlap in meaning", 1)[1]
