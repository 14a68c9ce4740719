"""What the loaded guard can detect with, in plain data for IT's capabilities view.

IT needs to know how strong the guard is: which recognizers run (and for which entity types
and languages), whether Spielraum's German name model is loaded (its version and size), and
whether an optional spaCy pipeline or a transformer/GLiNER model is configured and loaded.
Nothing here touches a text.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from guardrails.nlp_engine import SHIPPED_GERMAN_MODEL
from guardrails.rows import COLUMN_ENTITY_TYPES

if TYPE_CHECKING:
    from guardrails.engine import BuiltEngine

# Types produced outside the Presidio recognizers: header rows of pasted tables.
EXTRA_PRODUCERS = {"TableRows": COLUMN_ENTITY_TYPES}
EXTERNAL_NER = "ExternalNerRecognizer"


def describe(engine: "BuiltEngine") -> dict:
    recognizers: dict[str, dict] = {}
    for recognizer in engine.recognizers:
        entry = recognizers.setdefault(recognizer.name, {"name": recognizer.name, "entities": set(), "languages": set()})
        entry["entities"].update(recognizer.supported_entities)
        entry["languages"].add(recognizer.supported_language)
    for name, entities in EXTRA_PRODUCERS.items():
        recognizers[name] = {"name": name, "entities": set(entities), "languages": set(engine.nlp_engine.descriptions)}
    rows = [{"name": r["name"], "entities": sorted(r["entities"]), "languages": sorted(r["languages"])}
            for r in sorted(recognizers.values(), key=lambda r: r["name"])]
    pipelines = dict(getattr(engine.nlp_engine, "descriptions", {}))
    config = engine.config
    return {
        "recognizers": rows,
        "entity_types": sorted({e for r in rows for e in r["entities"]}),
        "languages": sorted(pipelines),
        "pipelines": [{"language": lang, "loaded": description,
                       "configured": (config.pipelines or {}).get(lang),
                       "trained": not description.startswith("blank:")}
                      for lang, description in sorted(pipelines.items())],
        "name_model": name_model(shipped_loaded=any("shipped" in d for d in pipelines.values())),
        "external_ner": {"configured": config.external_ner_folder is not None,
                         "folder_name": Path(config.external_ner_folder).name if config.external_ner_folder else None,
                         "loaded": EXTERNAL_NER in recognizers,
                         "threshold": config.external_ner_threshold},
    }


def name_model(shipped_loaded: bool) -> dict:
    """The German name model Spielraum ships: present, loaded, version, size on disk."""
    meta_file = SHIPPED_GERMAN_MODEL / "meta.json"
    if not meta_file.exists():
        return {"present": False, "loaded": False}
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    size = sum(f.stat().st_size for f in SHIPPED_GERMAN_MODEL.rglob("*") if f.is_file())
    return {"present": True, "loaded": shipped_loaded, "name": meta.get("name"), "version": meta.get("version"),
            "labels": meta.get("labels", {}).get("ner", []), "size_bytes": size}
