# Spielraum: multi-stage build. Dependencies get their own layer so code changes rebuild fast.
# BASE_IMAGE: any Debian bookworm image with Python 3.11 and `python3 -m venv` (the official
# one by default; tools/base-image.sh builds a local one where no registry is reachable).
ARG BASE_IMAGE=python:3.11-slim-bookworm

FROM ${BASE_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python3 -m venv /opt/venv
# Exactly the runtime lock, hash-checked, and no resolver (--no-deps): a new upstream release
# cannot change what the image contains.
COPY requirements.lock /opt/requirements.lock
RUN /opt/venv/bin/pip install --no-deps -r /opt/requirements.lock
WORKDIR /opt/spielraum
COPY pyproject.toml README.md ./
COPY app ./app
COPY guardrails ./guardrails
COPY providers ./providers
COPY templates ./templates
# Installed in place: the app reads templates/ next to its packages, and the source stays
# at the same path in the runtime stage. `pip check` fails the build if the lock is incomplete.
RUN /opt/venv/bin/pip install --no-deps -e . && /opt/venv/bin/pip check

FROM ${BASE_IMAGE} AS runtime
# Offline at run time: litellm reads its bundled cost map, nothing is downloaded.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    LITELLM_LOCAL_MODEL_COST_MAP=True \
    SPIELRAUM_DATA_DIR=/var/lib/spielraum \
    SPIELRAUM_DATABASE_URL=sqlite:////var/lib/spielraum/spielraum.db
RUN useradd --system --uid 10001 --home-dir /var/lib/spielraum --create-home spielraum
COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/spielraum /opt/spielraum
WORKDIR /var/lib/spielraum
USER spielraum
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"
CMD ["spielraum", "serve", "--host", "0.0.0.0", "--port", "8000"]
