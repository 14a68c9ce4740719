"""Loading, detokenising and splitting the NER training data.

GermEval 2014 ships pre-tokenised text ("Herr Müller , bitte ."), while the guard sees normal
text ("Herr Müller, bitte."). Training only on the former would teach the model that a comma
is always preceded by a space, so a share of the sentences is detokenised here (the offsets are
carried along); spaCy's German tokenizer splits the punctuation off again at run time.
The two other helpers stretch the small corpus: name swapping (new names in the same contexts)
and enumerations of its plain nouns (negatives for the "capitalised word in a list" shape).
"""
from __future__ import annotations

import json
import random
from pathlib import Path

LABELS = ("PER", "LOC", "ORG")
_NO_SPACE_BEFORE = set(",.;:!?)]}%'") | {"…", "“", "«"}
_NO_SPACE_AFTER = set("([{") | {"„", "»"}


def load_jsonl(path: Path) -> list[dict]:
    """Records with only the labels we train (MISC is dropped: it is not personal data)."""
    records = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            rec["entities"] = [e for e in rec["entities"] if e["label"] in LABELS]
            records.append(rec)
    return records


def detokenise(record: dict) -> dict:
    """Join punctuation to its neighbours as ordinary writing does; entity offsets follow."""
    tokens = record["text"].split(" ")
    starts, pos = [], 0
    for tok in tokens:
        starts.append(pos)
        pos += len(tok) + 1
    pieces, new_pos, quote_open = [], 0, False
    old_to_new: dict[int, int] = {}
    for i, tok in enumerate(tokens):
        glue = i > 0 and (
            tok in _NO_SPACE_BEFORE
            or tokens[i - 1] in _NO_SPACE_AFTER
            or (tok == '"' and quote_open)
            or (tokens[i - 1] == '"' and _opened_quote(tokens, i - 1))
        )
        if tok == '"':
            quote_open = not quote_open
        if i > 0 and not glue:
            pieces.append(" ")
            new_pos += 1
        old_to_new[starts[i]] = new_pos
        old_to_new[starts[i] + len(tok)] = new_pos + len(tok)
        pieces.append(tok)
        new_pos += len(tok)
    entities = [{**e, "start": old_to_new[e["start"]], "end": old_to_new[e["end"]]}
                for e in record["entities"]]
    return {**record, "text": "".join(pieces), "entities": entities}


def _opened_quote(tokens: list[str], index: int) -> bool:
    """True if the '"' at `index` opens a quotation (an even number of quotes precede it)."""
    return tokens[:index].count('"') % 2 == 0


def split(records: list[dict], seed: int, dev_share: float, test_share: float) -> tuple[list, list, list]:
    shuffled = list(records)
    random.Random(seed).shuffle(shuffled)
    n_test = int(len(shuffled) * test_share)
    n_dev = int(len(shuffled) * dev_share)
    return shuffled[n_test + n_dev:], shuffled[n_test:n_test + n_dev], shuffled[:n_test]


def swap_names(record: dict, make_name) -> dict:
    """A copy of `record` whose PER spans hold fresh names; the other offsets shift along.

    GermEval has few sentences and so few names: swapping them teaches the model the contexts
    people stand in rather than the names it happened to see. `make_name(original)` returns
    the replacement (one word for one word, a full name for several).
    """
    text, entities, shift, cursor = [], [], 0, 0
    for ent in sorted(record["entities"], key=lambda e: e["start"]):
        text.append(record["text"][cursor:ent["start"]])
        surface = record["text"][ent["start"]:ent["end"]]
        new = make_name(surface) if ent["label"] == "PER" else surface
        start = ent["start"] + shift
        entities.append({**ent, "start": start, "end": start + len(new)})
        shift += len(new) - len(surface)
        text.append(new)
        cursor = ent["end"]
    text.append(record["text"][cursor:])
    return {**record, "text": "".join(text), "entities": entities}


def capitalised_nouns(records: list[dict]) -> list[str]:
    """Capitalised words GermEval leaves outside every entity and not at a sentence start: nouns."""
    nouns: set[str] = set()
    # A word GermEval ever tags as part of a name (Koch, Braun) must not become a pure negative.
    name_words = {w for rec in records for e in rec["entities"] if e["label"] == "PER"
                  for w in rec["text"][e["start"]:e["end"]].split()}
    for rec in records:
        covered = [(e["start"], e["end"]) for e in rec["entities"]]
        pos = 0
        for i, tok in enumerate(rec["text"].split(" ")):
            start, pos = pos, pos + len(tok) + 1
            if i == 0 or len(tok) < 4 or not tok[0].isupper() or not tok[1:].islower() or not tok.isalpha():
                continue
            if not any(s < start + len(tok) and start < e for s, e in covered):
                nouns.add(tok)
    return sorted(nouns - name_words)


_LIST_HEADS = ("", "", "Benötigt werden: ", "Anlagen: ", "Klasse 9: ", "Lieferumfang: ", "Themen: ",
               "Es fehlen noch ", "Gegenstand sind ", "Stichworte: ", "- ")
_LIST_SEPARATORS = (", ", ", ", "; ", " / ", "\n- ")


def noun_lists(nouns: list[str], n: int, rng: random.Random) -> list[dict]:
    """Enumerations of plain nouns, a shape the model otherwise mistakes for lists of names."""
    out = []
    for _ in range(n):
        words = rng.sample(nouns, rng.randint(2, 7))
        sep = rng.choice(_LIST_SEPARATORS)
        body = sep.join(words[:-1]) + rng.choice((" und ", " oder ", sep)) + words[-1]
        out.append({"text": rng.choice(_LIST_HEADS) + body + rng.choice(("", ".", ";", "")),
                    "entities": [], "source": "noun-list"})
    return out
