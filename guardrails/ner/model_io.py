"""Writing the trained pipeline to disk: pruned, verified, and swapped in atomically.

spaCy serialises every string seen in training (vocab/strings.json), which is most of the
folder and useless at inference: the hash embeddings hash the token text afresh. Pruning keeps
only the strings the labels need, and the pruned copy must reproduce the unpruned predictions
exactly, otherwise the unpruned folder is kept. The finished folder replaces the old one with
one renameat2(RENAME_EXCHANGE) call where the kernel offers it (Linux), so a guard starting up
at that moment loads either the old or the new model, never a mix.
"""
from __future__ import annotations

import ctypes
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import spacy

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_PROBE_TEXTS = (
    "Sehr geehrte Frau Yılmaz, Herr Müller aus Köln hat angerufen.",
    "Bitte leiten Sie den Antrag von Anna-Lena von der Heide an das Jobcenter Bonn weiter.",
    "Der Bürgermeister ist Herr der Lage. Vogel, Koch und Fuchs sind hier nur Wörter.",
    "hallo, ich bin mehmet özdemir und arbeite beim Landratsamt.",
)


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def _predictions(nlp: spacy.Language) -> list[list[tuple[int, int, str]]]:
    return [[(e.start_char, e.end_char, e.label_) for e in nlp(t).ents] for t in _PROBE_TEXTS]


def prune(folder: Path, nlp: spacy.Language) -> None:
    """Drop training strings from the saved folder if the pruned model predicts identically."""
    strings_file = folder / "vocab" / "strings.json"
    if not strings_file.exists():
        return
    original = strings_file.read_text(encoding="utf-8")
    labels = sorted({lab for pipe in nlp.pipe_names for lab in getattr(nlp.get_pipe(pipe), "labels", ())})
    strings_file.write_text(json.dumps(labels, ensure_ascii=False), encoding="utf-8")
    if _predictions(spacy.load(folder)) != _predictions(nlp):
        strings_file.write_text(original, encoding="utf-8")


def install_atomically(nlp: spacy.Language, target: Path,
                       postprocess: Callable[[Path, spacy.Language], None] | None = None) -> None:
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))
    staging.chmod(0o755)  # mkdtemp creates 0700; the guard may run as another user
    nlp.to_disk(staging)
    if postprocess:
        postprocess(staging, nlp)
    if not target.exists():
        os.rename(staging, target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging)  # now holds the previous model
        return
    # No atomic exchange available: two renames leave a moment without a model, where the guard
    # falls back to its blank pipeline; acceptable, and never a half-written folder.
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    os.rename(target, old / "model")
    os.rename(staging, target)
    shutil.rmtree(old)


def _exchange(a: Path, b: Path) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    rc = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return rc == 0
