#!/bin/sh
# Reproduces app/static/vendor/: the browser builds of the JavaScript libraries the pages use,
# at pinned versions, fetched once from the npm registry by a developer (never at run time).
# Usage: tools/vendor_js.sh   (needs npm; compare the result with `git diff --stat`)
set -eu

MARKDOWN_IT_VERSION=14.1.0

root=$(cd "$(dirname "$0")/.." && pwd)
target="$root/app/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "markdown-it@$MARKDOWN_IT_VERSION" >/dev/null
tar xzf "markdown-it-$MARKDOWN_IT_VERSION.tgz"
mkdir -p "$target"
cp package/dist/markdown-it.min.js "$target/markdown-it.min.js"
cp package/LICENSE "$target/markdown-it.LICENSE"
echo "markdown-it $MARKDOWN_IT_VERSION -> $target"
