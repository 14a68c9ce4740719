"""Train Spielraum's small German NER pipeline (tok2vec + ner) reproducibly.

    nice -n 10 .venv/bin/python -m guardrails.ner.train \\
        --data ../shared/data/ner-de --out guardrails/ner/model

Data: GermEval 2014 dev+test (CC BY 4.0; the train split is not available offline), split
80/10/10 with a fixed seed. The training part is enlarged by one copy of each sentence with
people whose names are swapped for synthetic ones, a share is detokenised, and enumerations of
its nouns are added as negatives (see data.py); then mixed with synthetic administrative
sentences (synthetic.py). LER court decisions are used for evaluation only.

The architecture is spaCy's CNN (HashEmbedCNN, no static vectors), chosen for size and speed:
a few MB on disk and a few ms per 1,000 characters on one core. A fixed number of epochs is
run and the weights with the best dev F1 kept; --max-minutes only guards the shared machine
(stopping by time would make the result depend on the machine, so the log says when it hits).
The finished model is written next to the target and swapped in atomically, so a guard that
loads the model while training finishes never sees half a folder.
"""
from __future__ import annotations

import os

# One BLAS thread: reproducible sums and no fight with the other processes on a shared machine.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy  # noqa: E402
import spacy  # noqa: E402
from spacy.util import compounding, minibatch  # noqa: E402

from guardrails.ner import evaluation, synthetic  # noqa: E402
from guardrails.ner.data import (  # noqa: E402
    LABELS, capitalised_nouns, detokenise, load_jsonl, noun_lists, split, swap_names)
from guardrails.ner.synthetic_names import NameMaker  # noqa: E402
from guardrails.ner.model_io import folder_size, install_atomically, prune  # noqa: E402

GERMEVAL_FILES = ("germeval2014_dev.jsonl", "germeval2014_test.jsonl")
LER_FILE = "ler_dev.jsonl"


def build_pipeline(width: int, embed_size: int, depth: int) -> spacy.Language:
    nlp = spacy.blank("de")
    nlp.add_pipe("tok2vec", config={"model": {
        "@architectures": "spacy.HashEmbedCNN.v2", "pretrained_vectors": None, "width": width,
        "depth": depth, "embed_size": embed_size, "window_size": 1, "maxout_pieces": 3,
        "subword_features": True,
    }})
    nlp.add_pipe("ner", config={"model": {
        "@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner",
        "extra_state_tokens": False, "hidden_width": 64, "maxout_pieces": 2, "use_upper": False,
        "nO": None, "tok2vec": {"@architectures": "spacy.Tok2VecListener.v1", "width": width, "upstream": "*"},
    }})
    return nlp


def prepare_data(data_dir: Path, seed: int, n_synthetic: int, detok_share: float,
                 name_swaps: int, n_noun_lists: int) -> dict[str, list[dict]]:
    germeval = [r for f in GERMEVAL_FILES for r in load_jsonl(data_dir / f)]
    g_train, g_dev, g_test = split(germeval, seed, dev_share=0.1, test_share=0.1)
    rng = random.Random(seed)
    names = NameMaker(random.Random(seed + 1))

    def fresh_name(old: str) -> str:
        return names.full() if " " in old else names.surname()

    with_people = [r for r in g_train if any(e["label"] == "PER" for e in r["entities"])]
    g_train = g_train + [swap_names(r, fresh_name) for _ in range(name_swaps) for r in with_people]
    g_train = [detokenise(r) if rng.random() < detok_share else r for r in g_train]
    # Nouns from the training split only, so no held-out sentence leaks into training.
    g_train += noun_lists(capitalised_nouns(g_train), n_noun_lists, rng)
    # Different seeds per split: the held-out synthetic sentences are new fillings (templates repeat).
    return {
        "train": g_train + synthetic.generate(n_synthetic, seed=seed * 1000 + 1),
        "germeval_dev": g_dev,
        "synthetic_dev": synthetic.generate(600, seed=seed * 1000 + 2),
        "germeval_test": g_test,
        "germeval_test_detok": [detokenise(r) for r in g_test],
        "synthetic_test": synthetic.generate(1500, seed=seed * 1000 + 3),
        "ler": load_jsonl(data_dir / LER_FILE),
    }


def train(nlp: spacy.Language, data: dict[str, list[dict]], epochs: int, seed: int,
          max_minutes: float, dropout: float) -> dict:
    train_examples = evaluation.examples(nlp, data["train"])
    optimizer = nlp.initialize(lambda: train_examples)
    rng = random.Random(seed)
    best, best_f, started = None, -1.0, time.monotonic()
    for epoch in range(1, epochs + 1):
        rng.shuffle(train_examples)
        losses: dict[str, float] = {}
        for batch in minibatch(train_examples, size=compounding(8.0, 64.0, 1.002)):
            nlp.update(batch, drop=dropout, sgd=optimizer, losses=losses)
        with nlp.use_params(optimizer.averages):
            dev_g = evaluation.score(nlp, data["germeval_dev"], ("PER",))["PER"]["f"]
            dev_s = evaluation.score(nlp, data["synthetic_dev"], ("PER",))["PER"]["f"]
            dev_f = (dev_g + dev_s) / 2
            if dev_f > best_f:
                best, best_f = nlp.to_bytes(), dev_f
        elapsed = (time.monotonic() - started) / 60
        print(f"epoch {epoch:2d}  loss {losses.get('ner', 0):9.1f}  dev PER F1 germeval {dev_g:.3f} "
              f"synthetic {dev_s:.3f}  ({elapsed:.1f} min)", flush=True)
        if elapsed > max_minutes and epoch < epochs:
            print(f"stopping after epoch {epoch}: --max-minutes {max_minutes} reached", flush=True)
            break
    nlp.from_bytes(best)
    return {"epochs_run": epoch, "best_dev_per_f1": round(best_f, 4),
            "train_minutes": round((time.monotonic() - started) / 60, 2)}


def report(nlp: spacy.Language, data: dict[str, list[dict]]) -> dict:
    results = {
        "germeval_test": evaluation.score(nlp, data["germeval_test"], LABELS),
        "germeval_test_detokenised": evaluation.score(nlp, data["germeval_test_detok"], LABELS),
        "synthetic_test": evaluation.score(nlp, data["synthetic_test"], LABELS),
        "ler_dev_per": evaluation.score(nlp, data["ler"], ("PER",))["PER"],
    }
    for name, res in results.items():
        rows = res.items() if name != "ler_dev_per" else [("PER", res)]
        for lab, m in rows:
            print(f"{name:27s} {lab}: P {m['p']:.3f}  R {m['r']:.3f}  F1 {m['f']:.3f}  "
                  f"overlap-R {m['r_overlap']:.3f}  (gold {m['gold']})")
    texts = evaluation.chunks_of_about(data["synthetic_test"] + data["germeval_test_detok"], 1000)
    results["ms_per_1000_chars"] = evaluation.ms_per_1000_chars(nlp, texts)
    print(f"inference: {results['ms_per_1000_chars']} ms per 1,000 chars (one core, nlp(text))")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description="Train the shipped German NER model.")
    parser.add_argument("--data", type=Path, required=True, help="folder with the GermEval/LER JSON-lines")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "model")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--synthetic", type=int, default=6000, help="synthetic training sentences")
    parser.add_argument("--name-swaps", type=int, default=1,
                        help="extra copies of GermEval sentences with people, names swapped")
    parser.add_argument("--noun-lists", type=int, default=1000,
                        help="enumerations of GermEval nouns as negatives")
    parser.add_argument("--detok-share", type=float, default=0.6)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--embed-size", type=int, default=4000)
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--dropout", type=float, default=0.3)
    parser.add_argument("--max-minutes", type=float, default=20.0)
    args = parser.parse_args()

    # GermEval spans inside hyphenated compounds ("SPD-Chef") cannot align with spaCy's tokens;
    # they become 'missing' in training, which is the right treatment, so the warning is noise.
    warnings.filterwarnings("ignore", message=r"\[W030\]")
    random.seed(args.seed)
    numpy.random.seed(args.seed)
    spacy.util.fix_random_seed(args.seed)
    started = time.monotonic()
    data = prepare_data(args.data, args.seed, args.synthetic, args.detok_share, args.name_swaps,
                        args.noun_lists)
    print(f"train sentences: {len(data['train'])}", flush=True)
    nlp = build_pipeline(args.width, args.embed_size, args.depth)
    stats = train(nlp, data, args.epochs, args.seed, args.max_minutes, args.dropout)
    results = report(nlp, data)

    nlp.meta.update({
        "name": "spielraum_de_ner", "version": "0.1.0", "license": "CC BY 4.0 (training data)",
        "description": "Small German NER (PER/LOC/ORG) for Spielraum's guard; see MODEL_CARD.md.",
        "sources": [
            {"name": "GermEval 2014 (NoSta-D NE), dev+test splits",
             "author": "D. Benikova, C. Biemann, M. Reznicek", "license": "CC BY 4.0",
             "url": "https://www.inf.uni-hamburg.de/en/inst/ab/lt/resources/data/germaner.html"},
            {"name": "Spielraum synthetic administrative sentences", "author": "Spielraum"},
        ],
        "performance": results,
        "training": {**stats, "args": {k: str(v) for k, v in vars(args).items() if k not in ("data", "out")}},
    })
    install_atomically(nlp, args.out, prune)
    print(f"model written to {args.out}: {folder_size(args.out) / 1e6:.2f} MB; "
          f"total time {(time.monotonic() - started) / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
