#!/bin/sh
# Reproduces app/static/vendor/: the browser builds of the JavaScript libraries the pages use,
# at pinned versions, fetched once from the npm registry by a developer (never at run time).
# Usage: tools/vendor_js.sh   (needs npm; compare the result with `git diff --stat`)
set -eu

MARKDOWN_IT_VERSION=14.1.0
# sha256 of dist/markdown-it.min.js in that release: a changed file upstream stops the script.
MARKDOWN_IT_SHA256=38c70a1e7ca91ab40e2d9e6e60129851a717ed1c7d4acbbdd41bf9503791cf68

root=$(cd "$(dirname "$0")/.." && pwd)
target="$root/app/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "markdown-it@$MARKDOWN_IT_VERSION" >/dev/null
tar xzf "markdown-it-$MARKDOWN_IT_VERSION.tgz"
echo "$MARKDOWN_IT_SHA256  package/dist/markdown-it.min.js" | sha256sum -c --quiet
mkdir -p "$target"
cp package/dist/markdown-it.min.js "$target/markdown-it.min.js"
cp package/LICENSE "$target/markdown-it.LICENSE"
echo "markdown-it $MARKDOWN_IT_VERSION -> $target"
