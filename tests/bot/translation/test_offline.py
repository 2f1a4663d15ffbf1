"""Installing and translating never reaches the network nor the user's home folder.

Runs in a fresh process (argostranslate decides what to download when it is first
imported) with a guard on every socket connection and name lookup that is not loopback,
a pack without its own sentence splitter (so argostranslate's multilingual fallback is
what would otherwise be downloaded), and HOME pointing at an empty folder.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.bot.translation.factories import PROJECT
from tests.bot.translation.pack import build_pack

SCRIPT = r"""
import json, socket, sys

attempts = []
LOOPBACK = ("127.", "::1", "localhost")

def _allowed(host):
    return isinstance(host, str) and host.startswith(LOOPBACK)

def _guard(original):
    def guarded(self, address, *args):
        host = address[0] if isinstance(address, tuple) else address
        if not _allowed(host):
            attempts.append(str(host))
            raise OSError("network disabled in this test")
        return original(self, address, *args)
    return guarded

socket.socket.connect = _guard(socket.socket.connect)
socket.socket.connect_ex = _guard(socket.socket.connect_ex)
_getaddrinfo = socket.getaddrinfo
def getaddrinfo(host, *args, **kwargs):
    if not _allowed(host):
        attempts.append(str(host))
        raise socket.gaierror("network disabled in this test")
    return _getaddrinfo(host, *args, **kwargs)
socket.getaddrinfo = getaddrinfo

from pathlib import Path
from bot.translation import translator
engine = translator()
engine.install(Path(sys.argv[1]))
result = engine.translate("Kur mano užsakymas? Ačiū.", "lt", "en")
print(json.dumps({"text": result.text, "attempts": attempts}))
"""


def test_install_and_translate_make_no_network_call(tmp_path: Path) -> None:
    pack = build_pack(tmp_path / "files", "lt", "en", "where is my order", splitter=False)
    home = tmp_path / "home"
    home.mkdir()
    packages_dir = tmp_path / "var" / "argos" / "packages"
    env = {**os.environ, "HOME": str(home), "ARGOS_PACKAGES_DIR": str(packages_dir)}
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "ARGOS_CHUNK_TYPE"):
        env.pop(name, None)
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(pack)], cwd=PROJECT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["attempts"] == []
    assert report["text"] == "where is my order where is my order"  # two sentences, each translated
    # argostranslate's folders are beside the packs, and the splitter it would download
    # is the rule-based one written into its cache.
    assert (packages_dir / "translate-lt_en-1_0" / "metadata.json").exists()
    assert (tmp_path / "var" / "argos" / "cache" / "argos-translate" / "spacy" / "senter" / "model").exists()
    assert [p for p in home.rglob("*") if "argos" in p.name.lower()] == []
