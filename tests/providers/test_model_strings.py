"""Every backend the README documents: litellm reads each model string's provider offline,
and the README's example entries form a valid catalogue."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from providers import CatalogueError, load_catalogue, provider_of

README = Path(__file__).resolve().parents[2] / "README.md"

# (backend, model string as documented, the provider litellm must read from it)
BACKENDS = [
    ("vLLM", "openai/meta-llama/Llama-3.1-8B-Instruct", "openai"),
    ("vLLM (litellm's own prefix)", "hosted_vllm/meta-llama/Llama-3.1-8B-Instruct", "hosted_vllm"),
    ("llama.cpp server", "openai/qwen2.5-7b-instruct", "openai"),
    ("LM Studio", "lm_studio/qwen2.5-7b-instruct", "lm_studio"),
    ("Ollama", "ollama_chat/mistral", "ollama_chat"),
    ("Azure OpenAI", "azure/gpt-4o-mini-eu", "azure"),
    ("OpenAI", "openai/gpt-4o-mini", "openai"),
    ("Anthropic", "anthropic/claude-3-5-haiku-latest", "anthropic"),
    ("Mistral", "mistral/mistral-small-latest", "mistral"),
]


@pytest.mark.parametrize("backend, model, provider", BACKENDS, ids=[row[0] for row in BACKENDS])
def test_litellm_reads_the_provider_offline(backend, model, provider):
    assert provider_of(model) == provider


@pytest.mark.parametrize("model", ["llamacpp/qwen", "foo/bar", ""])
def test_an_unknown_provider_is_refused(model):
    with pytest.raises(CatalogueError, match="knows no provider"):
        provider_of(model)


def _readme_examples(tmp_path: Path) -> Path:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- models-examples -->\n```yaml\n(.*?)```", text, re.S)
    assert block, "the README's Models section lost its example block"
    path = tmp_path / "models.yaml"
    path.write_text(block.group(1), encoding="utf-8")
    return path


def test_the_readme_examples_are_a_valid_catalogue_of_every_backend(tmp_path):
    catalogue = load_catalogue(_readme_examples(tmp_path))
    documented = {spec.litellm_model: provider_of(spec.litellm_model) for spec in catalogue.models}
    expected = {model: provider for _, model, provider in BACKENDS if not model.startswith("hosted_vllm")}
    assert documented == expected
    assert catalogue.default.id == "llama-vllm"
    mistral = catalogue.get("mistral-small")
    assert mistral.groups == ("Bauamt",) and mistral.requests_per_day == 50
    assert not mistral.allows("employee", ()) and mistral.allows("employee", {"Bauamt"})
    assert not mistral.allows("dpo", {"Bauamt"})


def test_two_defaults_in_one_file_are_refused(tmp_path):
    path = tmp_path / "models.yaml"
    path.write_text("models:\n" + "".join(
        f"  - {{id: m{i}, display_name: M{i}, litellm_model: openai/x, api_base: null, api_key_env: null, "
        f"default: true}}\n" for i in (1, 2)), encoding="utf-8")
    with pytest.raises(CatalogueError, match="more than one default model"):
        load_catalogue(path)


def test_a_key_source_is_used_at_call_time_and_never_shown(tmp_path):
    from providers import ModelSpec

    calls = []
    spec = ModelSpec(id="m", display_name="M", litellm_model="openai/x", api_base=None, api_key_env="UNSET_VAR_X")
    sourced = spec.with_key_source(lambda: calls.append(1) or "sk-geheim")
    assert calls == []
    assert sourced.api_key() == "sk-geheim" and calls == [1]
    assert "sk-geheim" not in repr(sourced) and "sk-geheim" not in sourced.model_dump_json()
    assert spec.api_key() == "unused"  # the original is untouched
    assert sourced.with_key_source(lambda: None).api_key() == "unused"
