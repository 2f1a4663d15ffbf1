"""Training data checks and the conversation tests in tests/stories, with Rasa's own tools."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from scripts.stack import rasa_env
from tests.conftest import RunningStack

ROOT = Path(__file__).resolve().parents[1]
RASA = str(Path(sys.executable).parent / "rasa")


def rasa(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [RASA, *args], cwd=ROOT, env=rasa_env(env),
        capture_output=True, text=True, timeout=1200,
    )


def test_training_data_is_valid(running_stack: RunningStack) -> None:
    result = rasa(["data", "validate", "--fail-on-warning"], running_stack.stack.env)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def test_conversation_tests_pass_in_every_language(running_stack: RunningStack, tmp_path: Path) -> None:
    stories = sorted((ROOT / "tests" / "stories").glob("test_*.yml"))
    assert {p.stem for p in stories} >= {"test_el", "test_ru", "test_lt", "test_en"}
    result = rasa(
        ["test", "core", "--model", str(running_stack.model), "--stories", "tests/stories",
         "--endpoints", "endpoints.yml", "--fail-on-prediction-errors", "--out", str(tmp_path)],
        running_stack.stack.env,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-6000:]


def test_conversation_tests_cover_every_intent_in_every_language() -> None:
    import yaml

    intents = set(yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["intents"])
    for language in ("el", "ru", "lt", "en"):
        stories = yaml.safe_load((ROOT / "tests" / "stories" / f"test_{language}.yml").read_text(encoding="utf-8"))
        covered = {step["intent"] for story in stories["stories"] for step in story["steps"] if "intent" in step}
        assert intents <= covered, f"{language}: no conversation test for {sorted(intents - covered)}"
