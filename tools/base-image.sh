#!/usr/bin/env bash
# Builds a local Debian bookworm + Python 3.11 base image for the Dockerfile where no container
# registry is reachable (only Debian's package mirror): debootstrap, then `podman import`.
#   tools/base-image.sh
#   podman build --format docker --build-arg BASE_IMAGE=localhost/bookworm-python:3.11 -t spielraum .
# Needs root, debootstrap and podman (apt-get install debootstrap podman). In a sandbox that
# forbids setting rlimits, add `--isolation chroot --network host` to the build (and run the
# image with `buildah run --isolation chroot`); behind a TLS-intercepting proxy, also mount its
# CA bundle: `-v /etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro`.
set -euo pipefail
TAG="${1:-localhost/bookworm-python:3.11}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
rootfs="$(mktemp -d)/rootfs"
trap 'rm -rf "$(dirname "$rootfs")"' EXIT
debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates bookworm "$rootfs" "$MIRROR"
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
tar -C "$rootfs" -c . | podman import --change 'CMD ["python3"]' - "$TAG"
