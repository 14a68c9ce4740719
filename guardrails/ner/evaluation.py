"""Held-out scoring and speed measurement for the German NER model.

Scores are exact-span precision/recall/F1 per label, as in CoNLL and GermEval. For the guard
what counts is whether a name gets covered at all, so the LER evaluation also reports the
share of gold PER spans that a predicted PER span overlaps.
"""
from __future__ import annotations

import statistics
import time

import spacy
from spacy.training import Example


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f": round(f, 4), "gold": n_gold, "pred": n_pred}


def score(nlp: spacy.Language, records: list[dict], labels: tuple[str, ...]) -> dict[str, dict]:
    """Per-label exact-span P/R/F1 plus overlap recall ("r_overlap") on `records`."""
    counts = {lab: {"tp": 0, "pred": 0, "gold": 0, "overlap": 0} for lab in labels}
    texts = [r["text"] for r in records]
    for rec, doc in zip(records, nlp.pipe(texts, batch_size=256)):
        for lab in labels:
            gold = {(e["start"], e["end"]) for e in rec["entities"] if e["label"] == lab}
            pred = {(e.start_char, e.end_char) for e in doc.ents if e.label_ == lab}
            c = counts[lab]
            c["tp"] += len(gold & pred)
            c["pred"] += len(pred)
            c["gold"] += len(gold)
            c["overlap"] += sum(any(ps < ge and gs < pe for ps, pe in pred) for gs, ge in gold)
    out = {}
    for lab, c in counts.items():
        out[lab] = _prf(c["tp"], c["pred"], c["gold"])
        out[lab]["r_overlap"] = round(c["overlap"] / c["gold"], 4) if c["gold"] else 0.0
    return out


def examples(nlp: spacy.Language, records: list[dict]) -> list[Example]:
    """Training examples; spans that do not align with spaCy's tokens become 'missing'."""
    out = []
    for rec in records:
        doc = nlp.make_doc(rec["text"])
        ents = [(e["start"], e["end"], e["label"]) for e in rec["entities"]]
        out.append(Example.from_dict(doc, {"entities": ents}))
    return out


def ms_per_1000_chars(nlp: spacy.Language, texts: list[str], repeats: int = 3) -> dict[str, float]:
    """p50/p90 CPU time of nlp(text) per 1,000 characters, one document per call as the guard does.

    CPU time of this thread, not wall time: the machine is shared, and wall time would measure
    the neighbours' load rather than the model."""
    def timings(run) -> list[float]:
        for text in texts[:5]:
            run(text)
        per_k = []
        for _ in range(repeats):
            for text in texts:
                t0 = time.thread_time()
                run(text)
                per_k.append((time.thread_time() - t0) * 1000 * 1000 / max(len(text), 1))
        return sorted(per_k)

    full, tokenizer = timings(nlp), timings(nlp.make_doc)
    # The guard tokenizes with or without a model, so the tokenizer-only p50 is the baseline.
    return {"p50": round(statistics.median(full), 3), "p90": round(full[int(len(full) * 0.9)], 3),
            "tokenizer_only_p50": round(statistics.median(tokenizer), 3)}


def chunks_of_about(records: list[dict], size: int = 1000) -> list[str]:
    """Concatenate sentences into texts of roughly `size` characters for the speed test."""
    texts, buf = [], ""
    for rec in records:
        buf = f"{buf} {rec['text']}" if buf else rec["text"]
        if len(buf) >= size:
            texts.append(buf[:size])
            buf = ""
    return texts


def main() -> None:
    """Re-measure a saved model without training: LER PER figures and speed.

        .venv/bin/python -m guardrails.ner.evaluation --model guardrails/ner/model \\
            --data ../shared/data/ner-de
    """
    import argparse
    import json
    from pathlib import Path

    from guardrails.ner import synthetic
    from guardrails.ner.data import load_jsonl

    parser = argparse.ArgumentParser(description="Evaluate a saved German NER model.")
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--data", type=Path, help="folder with ler_dev.jsonl (optional)")
    args = parser.parse_args()
    nlp = spacy.load(args.model)
    out = {"ms_per_1000_chars": ms_per_1000_chars(nlp, chunks_of_about(synthetic.generate(1500, seed=99)))}
    if args.data:
        out["ler_dev_per"] = score(nlp, load_jsonl(args.data / "ler_dev.jsonl"), ("PER",))["PER"]
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
