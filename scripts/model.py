"""Train the Rasa model only when its inputs changed.

The model is named after a hash of config.yml, domain.yml and data/ (the knowledge base
under data/kb and the message templates under data/responses are read at run time and
never need retraining), so an up-to-date model is
found by name and training is skipped.

    python -m scripts.model            # train if stale, print the model path
    python -m scripts.model --force    # train even if up to date
"""
from __future__ import annotations

import argparse
import fcntl
import hashlib
import subprocess
import sys
import time
from pathlib import Path

from scripts.stack import ROOT, rasa_env

MODELS_DIR = ROOT / "models"
TRAINING_INPUTS = ("config.yml", "domain.yml", "data")
NOT_TRAINED_ON = ("data/kb", "data/responses")  # read at run time
KEEP_MODELS = 3


def training_files(root: Path = ROOT) -> list[Path]:
    files: list[Path] = []
    for name in TRAINING_INPUTS:
        path = root / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(p for p in path.rglob("*") if p.is_file())
    excluded = tuple(root / e for e in NOT_TRAINED_ON)
    return sorted(p for p in files if not any(p.is_relative_to(e) for e in excluded))


def training_hash(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for path in training_files(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def model_path(root: Path = ROOT) -> Path:
    return MODELS_DIR / f"rapport-{training_hash(root)}.tar.gz"


def _prune(keep: Path) -> None:
    old = sorted(MODELS_DIR.glob("rapport-*.tar.gz"), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in [p for p in old if p != keep][KEEP_MODELS - 1:]:
        path.unlink()


def ensure_model(force: bool = False) -> Path:
    """The up-to-date model, training it first when config, domain or data changed.

    One training at a time per checkout: a second caller waits for the first and then
    finds the model it trained instead of training it again.
    """
    MODELS_DIR.mkdir(exist_ok=True)
    with open(MODELS_DIR / ".training.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("Another training of this checkout is running; waiting for it.", flush=True)
            fcntl.flock(lock, fcntl.LOCK_EX)
        return _ensure_model_locked(force)


def _ensure_model_locked(force: bool) -> Path:
    target = model_path()
    if target.exists() and not force:
        print(f"Model is up to date: {target.relative_to(ROOT)}", flush=True)
        return target
    print(f"Training the model (config, domain or data changed) -> {target.relative_to(ROOT)}", flush=True)
    started = time.monotonic()
    env = rasa_env()
    command = [
        str(Path(sys.executable).parent / "rasa"), "train",
        "--config", "config.yml", "--domain", "domain.yml", "--data", "data",
        "--out", str(MODELS_DIR), "--fixed-model-name", target.name[: -len(".tar.gz")],
    ]
    result = subprocess.run(command, cwd=ROOT, env=env)
    if result.returncode != 0 or not target.exists():
        raise SystemExit(f"Training failed (exit {result.returncode}); see the output above.")
    print(f"Trained in {time.monotonic() - started:.0f} s: {target.relative_to(ROOT)}", flush=True)
    _prune(target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--force", action="store_true", help="train even if the model is up to date")
    args = parser.parse_args()
    ensure_model(force=args.force)


if __name__ == "__main__":
    main()
