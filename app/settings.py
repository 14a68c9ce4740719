"""One settings object, read from `SPIELRAUM_*` environment variables.

Built by the app factory or the CLI, never at import time, so tests build their own.
"""
from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SPIELRAUM_", env_file=None, extra="ignore")

    database_url: str = "sqlite:///spielraum.db"
    models_file: Path | None = None
    # Guard policy: a YAML file (actions per entity type, threshold, timeout); defaults apply without one.
    guard_policy_file: Path | None = None
    guard_timeout_seconds: float = 10.0
    guard_score_threshold: float = 0.4
    # Optional stronger spaCy pipelines an authority installed locally (package name or folder).
    guard_pipeline_de: str | None = None
    guard_pipeline_en: str | None = None
    max_prompt_chars: int = Field(default=20_000, ge=100)
