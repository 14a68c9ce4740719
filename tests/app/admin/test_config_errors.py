"""A configuration file with mistakes: each problem is reported with its exact line, and the
file's values (which could be secrets) are never repeated in a message."""
from __future__ import annotations

import pytest

from app.admin.config_io import parse
from app.admin.config_yaml import ConfigFileInvalid
from tests.app.admin.config_support import SAMPLE


def problems(text: str, known_groups: frozenset[str] = frozenset()) -> list[str]:
    with pytest.raises(ConfigFileInvalid) as caught:
        parse(text, set(known_groups), "config.yaml")
    return caught.value.lines()


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the `occurrence`-th line containing `needle`."""
    hits = [number for number, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def test_the_sample_is_valid():
    document = parse(SAMPLE, set())
    assert [m.id for m in document.models] == ["llama-intern", "2024", "gpt-4o-mini"]
    assert document.models[1].display_name == "yes" and document.models[1].description == "null"


# (what is wrong, replace this, with this, the line's marker in the broken text, expected message)
CASES = [
    ("unknown key", "    location: USA\n", "    location: USA\n    temprature: 0.5\n", "temprature",
     "models[2].temprature: unknown key (a typo?)"),
    ("wrong type", "    max_tokens: 2048", "    max_tokens: viele", "max_tokens: viele",
     "models[0].max_tokens: Input should be a valid integer"),
    ("number as text", "    timeout_seconds: 120", '    timeout_seconds: "120"', "timeout_seconds",
     "models[0].timeout_seconds: Input should be a valid number"),
    ("out of range", "    temperature: 0\n", "    temperature: 2.5\n", "temperature: 2.5",
     "models[2].temperature: Input should be less than or equal to 2"),
    ("bad action", "IBAN_CODE: {action: block}", "IBAN_CODE: {action: schwärzen}", "IBAN_CODE",
     "guard.entities.IBAN_CODE.action: Input should be 'pseudonymize', 'mask', 'block' or 'allow'"),
    ("bad default action", "default_action: pseudonymize", "default_action: Pseudonymize", "default_action",
     "guard.default_action: Input should be 'pseudonymize', 'mask', 'block' or 'allow'"),
    ("lower-case entity type", "    PERSON: {action", "    person: {action", "person:",
     "guard.entities.person: an entity type is written in capitals, digits and _, e.g. IBAN_CODE"),
    ("unknown group", 'groups: [einkauf, "Ämter & Referate"]', 'groups: [einkauf, vertrieb]', "vertrieb",
     "models[0].groups[1]: unknown group: add it under `groups` (or in /admin/groups)"),
    ("unknown role", "roles: [dpo, admin]", "roles: [dpo, chef]", "chef",
     "models[1].roles: unknown role(s) chef; known roles are employee, dpo, admin, curator"),
    ("two defaults", "default_model: llama-intern\n", "default_model: llama-intern\ndefault_model: gpt-4o-mini\n",
     "default_model: gpt-4o-mini", "default_model: duplicate key (first on line 2)"),
    ("default names no model", "default_model: llama-intern", "default_model: llama", "default_model",
     "default_model: names no model in this file"),
    ("default is disabled", "default_model: llama-intern", 'default_model: "2024"', "default_model",
     "default_model: the default model must be enabled"),
    ("bad regex", r"- pattern: 'AZ-\d{4}/\d+'", r"- pattern: 'AZ-(\d{4}/\d+'", "AZ-(",
     "guard.deny[0].pattern: not a valid regular expression: missing ), unterminated subpattern at position 3"),
    ("same id twice", '  - id: "2024"', "  - id: gpt-4o-mini", ("id: gpt-4o-mini", 2),
     "models[2].id: the id is used by models[1] already"),
    ("missing field", "    litellm_model: ollama_chat/mistral\n", "", 'id: "2024"',
     "models[1].litellm_model: required, but missing"),
    ("a word where a mapping belongs", "IBAN_CODE: {action: block}", "IBAN_CODE: block", "IBAN_CODE",
     "guard.entities.IBAN_CODE: Input should be a mapping (key: value)"),
    ("deny term without a type", "      entity_type: AKTENZEICHEN", '      entity_type: ""', "entity_type: \"\"",
     "guard.deny[0].entity_type: a deny term needs an entity type"),
    ("wrong version", "version: 1", "version: 2", "version", "version: Input should be 1"),
]


@pytest.mark.parametrize(("what", "old", "new", "marker", "message"), CASES, ids=[case[0] for case in CASES])
def test_each_mistake_names_its_line(what, old, new, marker, message):
    assert old in SAMPLE, what
    broken = SAMPLE.replace(old, new, 1)
    needle, occurrence = marker if isinstance(marker, tuple) else (marker, 1)
    assert problems(broken) == [f"config.yaml:{line_of(broken, needle, occurrence)}: {message}"]


def test_several_mistakes_are_all_listed_in_line_order():
    broken = (SAMPLE.replace("    max_tokens: 2048", "    max_tokens: -1")
              .replace("IBAN_CODE: {action: block}", "IBAN_CODE: {action: nix}"))
    found = problems(broken)
    assert found == [
        f"config.yaml:{line_of(broken, 'max_tokens: -1')}: models[0].max_tokens: Input should be greater than 0",
        f"config.yaml:{line_of(broken, 'IBAN_CODE')}: guard.entities.IBAN_CODE.action: "
        "Input should be 'pseudonymize', 'mask', 'block' or 'allow'",
    ]


@pytest.mark.parametrize(("text", "expected"), [
    ("version: 1\nmodels:\n  - id: a\n   display_name: b\n", "config.yaml:4: YAML syntax error, column 4:"),
    ("version: 1\nmodels: [a, b\n", "config.yaml:3: YAML syntax error, column 1:"),
    ("version: 1\n\tmodels: []\n", "config.yaml:2: YAML syntax error, column 1:"),
    ('version: 1\ndefault_model: "unterminated\n', "config.yaml:3: YAML syntax error, column 1:"),
])
def test_syntax_errors_name_line_and_column(text, expected):
    found = problems(text)
    assert len(found) == 1 and found[0].startswith(expected), found


def test_a_secret_in_the_file_is_refused_with_a_hint_and_never_repeated():
    secret = "sk-live-1234567890abcdef"
    broken = SAMPLE.replace("    api_key_env: OPENAI_API_KEY\n", f"    api_key: {secret}\n")
    found = problems(broken)
    assert found == [f"config.yaml:{line_of(broken, 'api_key:')}: models[2].api_key: secrets do not belong in "
                     "this file: name the environment variable in api_key_env, or enter the key in the browser "
                     "(/admin/models)"]
    # A key pasted where the variable's name belongs, a password in a URL, a broken line: never echoed.
    for text in (SAMPLE.replace("api_key_env: OPENAI_API_KEY", f"api_key_env: {secret}-x"),
                 SAMPLE.replace("https://api.openai.com/v1", f"https://user:{secret}@api.openai.com/v1"),
                 SAMPLE.replace("    api_key_env: OPENAI_API_KEY", f"    api_key_env: [{secret}")):
        found = "\n".join(problems(text))
        assert secret not in found, found


def test_a_group_known_to_the_database_may_be_used_without_listing_it():
    text = SAMPLE.replace('groups: [einkauf, "Ämter & Referate"]', "groups: [einkauf, vertrieb]")
    assert parse(text, {"vertrieb"}).models[0].groups == ["einkauf", "vertrieb"]


def test_an_alias_bomb_is_refused_instead_of_expanded():
    lines = ["version: 1", 'a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, "
              f"*a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 9)]
    found = problems("\n".join(lines) + "\n")
    assert len(found) == 1 and "too many values" in found[0]


def test_the_document_must_be_a_mapping_and_empty_is_refused():
    assert problems("- a\n- b\n") == ["config.yaml:1: the file must be a mapping that starts with `version: 1`"]
    assert problems("") == ["config.yaml:1: the file must be a mapping that starts with `version: 1`"]
    assert problems("version: 1\nmodels:\n  - {id: a, display_name: A, litellm_model: x}\n") == [
        "config.yaml:1: default_model: exactly one default model is needed: name one of the models' ids"]
