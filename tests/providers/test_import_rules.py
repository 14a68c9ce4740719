"""providers/ may import the stdlib, litellm, httpx, pydantic and yaml, never app or guardrails."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PROVIDERS = Path(__file__).resolve().parents[2] / "providers"
FORBIDDEN = ("app", "guardrails")


def _imported_top_levels(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted(PROVIDERS.rglob("*.py")), ids=lambda p: p.name)
def test_providers_module_keeps_import_direction(path):
    assert not _imported_top_levels(path) & set(FORBIDDEN)


def test_litellm_is_configured_quiet_and_without_callbacks():
    import providers

    litellm = providers.prepare_litellm()

    assert litellm.telemetry is False
    assert litellm.suppress_debug_info is True
    assert not litellm.callbacks and not litellm.success_callback and not litellm.failure_callback
