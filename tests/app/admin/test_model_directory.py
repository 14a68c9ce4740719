"""How the catalogue is put together from the file's models and the browser's entries."""
from __future__ import annotations

from app.chat.model_directory import build_catalogue
from app.chat.model_keys import KeyCipher
from app.storage.tables import ModelEntry
from providers import Catalogue, ModelSpec
from providers.catalogue import KNOWN_ROLES

CIPHER = KeyCipher("test")


def _file_model(model_id: str, **extra) -> ModelSpec:
    return ModelSpec(id=model_id, display_name=model_id, litellm_model="openai/x", api_base=None, api_key_env=None,
                     **extra)


def _entry(model_id: str, **extra) -> ModelEntry:
    return ModelEntry(model_id=model_id, display_name=model_id, litellm_model="openai/x", **extra)


def test_a_browser_default_wins_over_the_files_and_there_is_one():
    base = Catalogue([_file_model("datei", default=True), _file_model("zwei")])
    built = build_catalogue(base, [_entry("browser", is_default=True), _entry("noch-einer", is_default=True)], CIPHER)
    assert [spec.id for spec in built.models] == ["datei", "zwei", "browser", "noch-einer"]
    assert [spec.id for spec in built.models if spec.default] == ["browser"]
    assert base.default.id == "datei"  # the file's catalogue itself is untouched
    assert build_catalogue(base, [_entry("browser")], CIPHER).default.id == "datei"


def test_an_id_the_file_uses_and_an_invalid_row_are_left_out():
    base = Catalogue([_file_model("datei")])
    built = build_catalogue(base, [_entry("datei"), _entry("kaputt", temperature=7.0), _entry("gut")], CIPHER)
    assert [spec.id for spec in built.models] == ["datei", "gut"]


def test_empty_roles_mean_every_role_and_groups_restrict():
    built = build_catalogue(Catalogue([]), [_entry("alle"), _entry("dpo", roles='["dpo"]'),
                                            _entry("bau", groups='["Bauamt"]')], CIPHER)
    assert built.get("alle").roles == KNOWN_ROLES
    assert [spec.id for spec in built.allowed_for("employee")] == ["alle"]
    assert [spec.id for spec in built.allowed_for("employee", {"Bauamt"})] == ["alle", "bau"]
    assert [spec.id for spec in built.allowed_for("dpo")] == ["alle", "dpo"]


def test_a_sealed_key_is_opened_only_when_asked():
    built = build_catalogue(Catalogue([]), [_entry("k", api_key_encrypted=CIPHER.seal("sk-1"), api_key_env="X_UNSET")],
                            CIPHER)
    spec = built.get("k")
    assert "sk-1" not in repr(spec) and spec.api_key() == "sk-1"
