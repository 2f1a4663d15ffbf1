"""Checks a ``.argosmodel`` file before it is unpacked: a zip holding one folder with a
``metadata.json`` (a translate pack with language codes) and a CTranslate2 model, and no
member that would land outside that folder."""
from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

CODE = re.compile(r"^[a-z]{2,3}$")
MAX_UNPACKED_BYTES = 4 * 1024**3


class PackError(ValueError):
    """The file is not an installable Argos language pack."""


@dataclass(frozen=True)
class Pack:
    folder: str
    from_code: str
    to_code: str
    version: str


def check_pack(path: Path) -> Pack:
    path = Path(path)
    if not path.is_file():
        raise PackError(f"{path}: no such file")
    if not zipfile.is_zipfile(path):
        raise PackError(f"{path}: not an Argos language pack (not a zip archive)")
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        tops = set()
        for member in members:
            parts = PurePosixPath(member.filename).parts
            if member.filename.startswith(("/", "\\")) or ".." in parts or "\\" in member.filename or not parts:
                raise PackError(f"{path}: unsafe member {member.filename!r}")
            tops.add(parts[0])
        if len(tops) != 1:
            raise PackError(f"{path}: expected one top folder, found {len(tops)}")
        if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
            raise PackError(f"{path}: unpacks to more than {MAX_UNPACKED_BYTES} bytes")
        folder = tops.pop()
        names = {m.filename for m in members}
        if f"{folder}/model/model.bin" not in names:
            raise PackError(f"{path}: no model/model.bin (not a translation pack)")
        try:
            metadata = json.loads(archive.read(f"{folder}/metadata.json"))
        except KeyError:
            raise PackError(f"{path}: no metadata.json") from None
        except ValueError:
            raise PackError(f"{path}: metadata.json is not valid JSON") from None
    if not isinstance(metadata, dict) or metadata.get("type", "translate") != "translate":
        raise PackError(f"{path}: not a translation pack")
    codes = metadata.get("from_code"), metadata.get("to_code")
    if not all(isinstance(c, str) and CODE.match(c) for c in codes):
        raise PackError(f"{path}: metadata.json needs from_code and to_code language codes")
    return Pack(folder, codes[0], codes[1], str(metadata.get("package_version", "")))
