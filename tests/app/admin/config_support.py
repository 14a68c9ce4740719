"""A rich configuration file and a fresh database for the configuration-as-code tests."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from app.settings import Settings
from app.storage.engine import build_engine
from app.storage.schema import upgrade_database

# Everything the file can say, with values YAML likes to misread: a number-like id, "yes",
# "null" as text, a colon and a hash inside text, several lines, umlauts, backslashes.
SAMPLE = r'''version: 1
default_model: llama-intern
models:
  - id: llama-intern
    display_name: "Llama 3.1 8B (intern)"
    description: |-
      Läuft im eigenen Rechenzentrum.
      Gut für: Entwürfe, Zusammenfassungen # kein Kommentar
    location: "EU-Rechenzentrum: Frankfurt"
    litellm_model: openai/meta-llama/Llama-3.1-8B-Instruct
    api_base: http://vllm.intern:8000/v1
    api_key_env: VLLM_API_KEY
    max_tokens: 2048
    temperature: 0.3
    requests_per_day: 200
    timeout_seconds: 120
    roles: []
    groups: [einkauf, "Ämter & Referate"]
  - id: "2024"
    display_name: "yes"
    description: "null"
    litellm_model: ollama_chat/mistral
    roles: [dpo, admin]
    enabled: false
  - id: gpt-4o-mini
    display_name: GPT-4o mini (Cloud)
    location: USA
    litellm_model: openai/gpt-4o-mini
    api_base: https://api.openai.com/v1
    api_key_env: OPENAI_API_KEY
    temperature: 0
guard:
  default_action: pseudonymize
  score_threshold: 0.45
  entities:
    IBAN_CODE: {action: block}
    PERSON: {action: pseudonymize, threshold: 0.6}
    EMAIL_ADDRESS: {action: mask, threshold: null}
  deny:
    - pattern: 'AZ-\d{4}/\d+'
      regex: true
      entity_type: AKTENZEICHEN
      note: "Aktenzeichen: intern"
    - pattern: Projekt Adler
  allow:
    - pattern: Landratsamt Musterstadt
      note: unsere Behörde
    - pattern: "'Zitat'"
groups:
  - name: einkauf
    description: Einkauf & Vergabe
  - name: "Ämter & Referate"
'''

PLANTED_KEY = "gAAAAABplanted-ENCRYPTED-key-7f3a9c"


def fresh_engine(folder: Path) -> Engine:
    engine = build_engine(Settings(data_dir=folder))
    upgrade_database(engine)
    return engine
