"""The translator through argostranslate's real install and translate code, on tiny packs."""
from __future__ import annotations

import asyncio
import shutil
import threading
import zipfile
from pathlib import Path

import pytest

from bot.translation import TranslationUnavailable
from bot.translation.pack import PackError
from tests.bot.translation.factories import PHRASES, run_cli


def test_install_command_installs_and_lists_pairs(installed_packs: Path) -> None:
    listed = run_cli(installed_packs, "list")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.split("\n")[:4] == ["el -> en", "en -> el", "en -> ru", "ru -> en"]
    assert {p.name for p in installed_packs.iterdir()} == {
        "translate-el_en-1_0", "translate-en_el-1_0", "translate-en_ru-1_0", "translate-ru_en-1_0"}


def test_list_says_when_nothing_is_installed(tmp_path: Path) -> None:
    listed = run_cli(tmp_path / "packages", "list")
    assert listed.returncode == 0
    assert "no language packs installed" in listed.stdout


def test_direct_pair_translates_with_the_pack(installed_packs: Path, make_translator) -> None:
    result = make_translator(installed_packs).translate("Πού είναι η παραγγελία μου;", "el", "en")
    assert result.text == PHRASES[("el", "en")]
    assert result.via == ("el", "en") and not result.cached


def test_pair_without_a_pack_goes_through_english(installed_packs: Path, make_translator) -> None:
    translator = make_translator(installed_packs)
    assert translator.route("el", "ru") == ("el", "en", "ru")
    result = translator.translate("Πού είναι η παραγγελία μου;", "el", "ru")
    assert result.text == PHRASES[("en", "ru")]
    assert result.via == ("el", "en", "ru")
    # ru -> el as well, through ru -> en and en -> el.
    assert translator.translate("Где мой заказ?", "ru", "el").text == PHRASES[("en", "el")]


def test_several_sentences_are_split_and_translated_each(installed_packs: Path, make_translator) -> None:
    result = make_translator(installed_packs).translate("Γεια σας. Πού είναι η παραγγελία;", "el", "en")
    assert result.text == f"{PHRASES[('el', 'en')]} {PHRASES[('el', 'en')]}"


def test_results_are_cached_by_pair_and_text_and_bounded(installed_packs: Path, make_translator) -> None:
    translator = make_translator(installed_packs, cache_size=2)
    first = translator.translate("ένα", "el", "en")
    again = translator.translate("ένα", "el", "en")
    assert again.cached and again.text == first.text
    assert (translator.hits, translator.misses) == (1, 1)
    translator.translate("ένα", "el", "ru")  # same text, other pair: its own entry
    translator.translate("δύο", "el", "en")  # third entry: "ένα" el->en is the oldest, dropped
    assert (translator.hits, translator.misses) == (1, 3)
    assert not translator.translate("ένα", "el", "en").cached
    assert translator.translate("δύο", "el", "en").cached


def test_unavailable_without_packs(tmp_path: Path, make_translator) -> None:
    translator = make_translator(tmp_path / "packages")
    assert translator.pairs() == []
    with pytest.raises(TranslationUnavailable) as raised:
        translator.translate("Labas", "lt", "en")
    assert "translation unavailable" in str(raised.value)


def test_unavailable_when_no_pack_covers_the_pair(installed_packs: Path, make_translator) -> None:
    translator = make_translator(installed_packs)
    assert translator.route("lt", "ru") is None
    with pytest.raises(TranslationUnavailable):
        translator.translate("Kur mano užsakymas?", "lt", "ru")


@pytest.mark.parametrize("text, source, target", [
    ("", "el", "en"), ("   ", "el", "en"), (None, "el", "en"), ("x" * 5001, "el", "en"),
    ("text", "Greek", "en"), ("text", "el", "../en"),
])
def test_bad_input_is_refused(installed_packs: Path, make_translator, text, source, target) -> None:
    with pytest.raises(ValueError):
        make_translator(installed_packs).translate(text, source, target)


def test_same_language_is_returned_as_is(installed_packs: Path, make_translator) -> None:
    assert make_translator(installed_packs).translate("Labas", "lt", "lt").text == "Labas"


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize("members, problem", [
    ({"p/metadata.json": b"{}", "../evil.txt": b"x"}, "unsafe member"),
    ({"a/metadata.json": b"{}", "b/model/model.bin": b""}, "one top folder"),
    ({"p/metadata.json": b"not json", "p/model/model.bin": b""}, "not valid JSON"),
    ({"p/metadata.json": b'{"from_code": "el"}', "p/model/model.bin": b""}, "language codes"),
    ({"p/metadata.json": b'{"type": "sbd"}', "p/model/model.bin": b""}, "not a translation pack"),
    ({"p/metadata.json": b'{"from_code": "el", "to_code": "en"}'}, "no model/model.bin"),
])
def test_bad_packs_are_refused_and_change_nothing(tmp_path: Path, installed_packs: Path, make_translator,
                                                  members, problem) -> None:
    packages_dir = tmp_path / "packages"
    shutil.copytree(installed_packs, packages_dir)
    translator = make_translator(packages_dir)
    before = translator.pairs()
    with pytest.raises(PackError, match=problem):
        translator.install(_zip(tmp_path / "bad.argosmodel", members))
    assert translator.pairs() == before
    assert not (tmp_path / "evil.txt").exists()


def test_install_command_reports_a_file_that_is_not_a_pack(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.argosmodel"
    bogus.write_text("not a zip")
    done = run_cli(tmp_path / "packages", "install", str(bogus))
    assert done.returncode == 1
    assert "not a zip archive" in done.stderr


def test_a_new_pack_for_a_pair_replaces_the_old_one(tmp_path: Path, make_translator) -> None:
    from tests.bot.translation.pack import build_pack

    translator = make_translator(tmp_path / "packages")
    translator.install(build_pack(tmp_path, "lt", "en", "first words", version="1.0"))
    assert translator.translate("Labas", "lt", "en").text == "first words"
    translator.install(build_pack(tmp_path, "lt", "en", "second words", version="1.1"))
    assert translator.pairs() == [("lt", "en")]
    assert translator.translate("Labas", "lt", "en").text == "second words"


async def test_async_translation_runs_off_the_loop_with_a_timeout(installed_packs: Path, make_translator) -> None:
    translator = make_translator(installed_packs, timeout=5)
    result = await translator.translate_async("Γεια", "el", "en")
    assert result.text == PHRASES[("el", "en")]
    # Keep the single worker busy: the next translation cannot start and times out.
    release = threading.Event()
    busy = asyncio.get_running_loop().run_in_executor(translator._executor, release.wait, 10)
    try:
        with pytest.raises(asyncio.TimeoutError):
            await translator.translate_async("Γεια σας", "el", "en", timeout=0.2)
    finally:
        release.set()
        await busy
