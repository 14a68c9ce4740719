"""Build the one guard from settings: the chat, the API and `spielraum redact` all use this."""
from __future__ import annotations

import yaml

from app.settings import Settings
from guardrails import EngineConfig, Guard, GuardPolicy, build_guard


def load_policy(settings: Settings) -> GuardPolicy:
    data: dict = {"score_threshold": settings.guard_score_threshold,
                  "timeout_seconds": settings.guard_timeout_seconds}
    if settings.guard_policy_file:
        with open(settings.guard_policy_file, encoding="utf-8") as fh:
            data.update(yaml.safe_load(fh) or {})
    return GuardPolicy.from_mapping(data)


def guard_from_settings(settings: Settings) -> Guard:
    config = EngineConfig(pipelines={"de": settings.guard_pipeline_de, "en": settings.guard_pipeline_en},
                          external_ner_folder=settings.guard_ner_external,
                          external_ner_threshold=settings.guard_ner_external_threshold)
    return build_guard(load_policy(settings), config)
