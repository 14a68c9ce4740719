"""The architecture's import directions, checked by parsing every module's imports."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {"guardrails": {"app", "providers"}, "providers": {"app", "guardrails"}}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_does_not_import_forbidden_packages(package):
    modules = sorted((ROOT / package).rglob("*.py"))
    assert modules, f"no modules found in {package}/"
    violations = {str(path.relative_to(ROOT)): sorted(imported_packages(path) & FORBIDDEN[package])
                  for path in modules}
    assert {path: bad for path, bad in violations.items() if bad} == {}


def test_the_checker_sees_imports(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import app.storage.tables\nfrom providers.catalogue import X\nfrom . import sibling\n")
    assert imported_packages(module) == {"app", "providers"}
