"""Reading a configuration file into a validated `ConfigDocument`, or every problem with its line.

Three steps, each reporting in the same form (`FILE:LINE: path: message`): the YAML itself
(`config_yaml`: syntax, duplicate keys), the shape (`config_schema`: pydantic, strict), and
the references between entries (`cross_check`). pydantic's locations are mapped to lines;
its messages are used as they are, minus our class names, and never with the input value.
"""
from __future__ import annotations

import re

from pydantic import ValidationError

from app.admin.config_schema import ConfigDocument, cross_check, secret_key_problems
from app.admin.config_yaml import ConfigFileInvalid, LineMap, Problem, format_path, load

MAX_FILE_BYTES = 256 * 1024


def parse(text: str, known_groups: set[str], source: str = "config.yaml") -> ConfigDocument:
    """The validated document; raises ConfigFileInvalid listing every problem with its line."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise ConfigFileInvalid([Problem(1, "", f"the file is larger than {MAX_FILE_BYTES // 1024} KB")], source)
    data, lines = load(text, source)
    if not isinstance(data, dict):
        raise ConfigFileInvalid([Problem(1, "", "the file must be a mapping that starts with `version: 1`")], source)
    hinted = secret_key_problems(data)
    try:
        document = ConfigDocument.model_validate(data)
    except ValidationError as exc:
        problems = _problems_from(exc, lines)
        hinted_paths = {path for path, _ in hinted}
        problems = [p for p in problems if p[0] not in hinted_paths] + hinted
        raise ConfigFileInvalid([_at(lines, path, message) for path, message in problems], source) from None
    problems = cross_check(document, known_groups)
    if problems:
        raise ConfigFileInvalid([_at(lines, path, message) for path, message in problems], source)
    return document


def _problems_from(exc: ValidationError, lines: LineMap) -> list[tuple[tuple, str]]:
    problems = []
    for error in exc.errors(include_input=False, include_url=False):
        path = tuple(part for part in error["loc"] if part != "[key]")  # a dict key's own check
        message = error["msg"].removeprefix("Value error, ")
        # "a valid dictionary or instance of GuardConfig": the class is ours, not the reader's.
        message = re.sub(r" or instance of \w+$", "", message).replace("a valid dictionary", "a mapping (key: value)")
        if error["type"] == "extra_forbidden":
            message = "unknown key (a typo?)"
        elif error["type"] == "missing":
            message = "required, but missing"
        problems.append((path, message))
    return problems


def _at(lines: LineMap, path: tuple, message: str) -> Problem:
    return Problem(lines.line_of(path), format_path(path), message)
