"""Loading the YAML model catalogue: good files load, bad files fail naming file, entry and field."""
from __future__ import annotations

import textwrap

import pytest
from pydantic import ValidationError

from providers import Catalogue, CatalogueError, ModelSpec, UnknownModel, load_catalogue

GOOD = """
models:
  - id: echo
    display_name: Echo
    litellm_model: openai/echo
    api_base: http://127.0.0.1:9999/v1
    api_key_env: ECHO_KEY
    max_tokens: 1024
    temperature: 0.2
    timeout_seconds: 30
    description: "Spiegelt die Eingabe."
  - id: intern
    display_name: Internes Modell
    litellm_model: openai/llama
    api_base: http://10.0.0.5:8000/v1
    api_key_env: INTERN_KEY
    roles: [dpo, admin]
"""


def _write(tmp_path, text: str):
    path = tmp_path / "models.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _entry(**fields) -> str:
    base = dict(id="m", display_name="M", litellm_model="openai/m", api_base="http://h/v1", api_key_env="K")
    base.update(fields)
    lines = [f"    {k}: {v}" for k, v in base.items() if v is not None]
    lines[0] = "  - " + lines[0].strip()
    return "models:\n" + "\n".join(lines) + "\n"


def test_good_file_loads_in_order_with_defaults(tmp_path):
    catalogue = load_catalogue(_write(tmp_path, GOOD))

    echo, intern = catalogue.models
    assert [echo.id, intern.id] == ["echo", "intern"]
    assert (echo.max_tokens, echo.temperature, echo.timeout_seconds) == (1024, 0.2, 30)
    assert echo.description == "Spiegelt die Eingabe."
    assert echo.roles == ("employee", "curator", "dpo", "admin")
    assert (intern.max_tokens, intern.temperature, intern.timeout_seconds) == (None, None, 60)
    assert intern.description == ""


def test_get_and_unknown_model(tmp_path):
    catalogue = load_catalogue(_write(tmp_path, GOOD))

    assert catalogue.get("intern").display_name == "Internes Modell"
    with pytest.raises(UnknownModel) as caught:
        catalogue.get("gpt-9")
    assert caught.value.code == "unknown_model" and caught.value.http_status == 404
    assert "echo" in catalogue and "gpt-9" not in catalogue


@pytest.mark.parametrize("role, ids", [("employee", ["echo"]), ("dpo", ["echo", "intern"]), ("guest", [])])
def test_allowed_for_filters_by_role(tmp_path, role, ids):
    catalogue = load_catalogue(_write(tmp_path, GOOD))

    assert [spec.id for spec in catalogue.allowed_for(role)] == ids


def test_api_key_is_read_from_env_at_call_time(tmp_path, monkeypatch):
    monkeypatch.delenv("ECHO_KEY", raising=False)
    spec = load_catalogue(_write(tmp_path, GOOD)).get("echo")
    assert spec.api_key() == "unused"  # local servers need no key

    monkeypatch.setenv("ECHO_KEY", "sk-geheim-42")
    assert spec.api_key() == "sk-geheim-42"
    assert "sk-geheim-42" not in repr(spec) and "sk-geheim-42" not in str(spec.model_dump())


def test_missing_file(tmp_path):
    with pytest.raises(CatalogueError, match="not found: .*nowhere.yaml"):
        load_catalogue(tmp_path / "nowhere.yaml")


def test_bad_yaml_names_the_line(tmp_path):
    path = _write(tmp_path, "models:\n  - id: echo\n    display_name: [unclosed\n")

    with pytest.raises(CatalogueError, match=r"not valid YAML at line \d+"):
        load_catalogue(path)


@pytest.mark.parametrize("text", ["", "- just a list\n", "models: {}\n", "models: []\n", "other: 1\n"])
def test_wrong_shape(tmp_path, text):
    with pytest.raises(CatalogueError, match="models"):
        load_catalogue(_write(tmp_path, text))


def test_duplicate_ids(tmp_path):
    text = _entry(id="twin") + _entry(id="twin").removeprefix("models:\n")

    with pytest.raises(CatalogueError, match="duplicate model id 'twin'"):
        load_catalogue(_write(tmp_path, text))


@pytest.mark.parametrize("missing", ["id", "display_name", "litellm_model", "api_base", "api_key_env"])
def test_missing_field_is_named(tmp_path, missing):
    with pytest.raises(CatalogueError, match=rf"models\[0\].*field '{missing}' is required"):
        load_catalogue(_write(tmp_path, _entry(**{missing: None})))


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"max_token": 5}, "unknown field 'max_token'"),
        ({"roles": "[employee, boss]"}, "unknown role"),
        ({"timeout_seconds": 0}, "field 'timeout_seconds'"),
        ({"temperature": 3}, "field 'temperature'"),
        ({"max_tokens": -1}, "field 'max_tokens'"),
    ],
)
def test_invalid_values_are_named(tmp_path, fields, message):
    with pytest.raises(CatalogueError, match=rf"models\[0\] \(id 'm'\).*{message}"):
        load_catalogue(_write(tmp_path, _entry(**fields)))


def test_explicit_null_api_base_is_allowed(tmp_path):
    catalogue = load_catalogue(_write(tmp_path, _entry(api_base="null", api_key_env="null")))

    spec = catalogue.get("m")
    assert spec.api_base is None and spec.api_key() == "unused"


def test_catalogue_object_rejects_duplicates_too():
    spec = ModelSpec(id="a", display_name="A", litellm_model="openai/a", api_base=None, api_key_env=None)

    with pytest.raises(CatalogueError, match="duplicate"):
        Catalogue([spec, spec])


def test_specs_are_immutable(tmp_path):
    spec = load_catalogue(_write(tmp_path, GOOD)).get("echo")

    with pytest.raises(ValidationError):
        spec.max_tokens = 10**6


def test_shipped_example_catalogue_loads():
    from pathlib import Path

    import providers

    example = Path(providers.__file__).with_name("models.example.yaml")
    catalogue = load_catalogue(example)

    assert catalogue.models[0].id == "llama-intern"
    assert [spec.id for spec in catalogue.allowed_for("employee")] == ["llama-intern", "gpt-4o-mini"]
