"""litellm must never reach the internet: no cost-map download on import, nothing but the upstream.

Runs in a fresh interpreter, because the offline switches only matter at litellm's import time
and this test process may have imported litellm already.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

# Records every host name the child resolves or connects to, then imports providers the way
# the app does and makes one real call to the fake upstream.
CHILD = textwrap.dedent(
    """
    import asyncio, json, os, socket, sys

    contacted = []
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect

    def recording_getaddrinfo(host, *args, **kwargs):
        contacted.append(str(host))
        return real_getaddrinfo(host, *args, **kwargs)

    def recording_connect(self, address):
        if isinstance(address, tuple):
            contacted.append(str(address[0]))
        return real_connect(self, address)

    socket.getaddrinfo = recording_getaddrinfo
    socket.socket.connect = recording_connect

    import providers
    env_after_import = {k: os.environ.get(k) for k in ("LITELLM_LOCAL_MODEL_COST_MAP", "LITELLM_OFFLINE_MODE")}
    litellm = providers.prepare_litellm()
    from litellm.litellm_core_utils.get_model_cost_map import get_model_cost_map_source_info

    spec = providers.ModelSpec(id="echo", display_name="Echo", litellm_model="openai/echo",
                               api_base=sys.argv[1], api_key_env=None, timeout_seconds=10)
    completion = asyncio.run(providers.complete_chat(spec, [{"role": "user", "content": "Hallo"}]))
    print(json.dumps({
        "env": env_after_import,
        "cost_map_source": get_model_cost_map_source_info()["source"],
        "cost_map_entries": len(litellm.model_cost),
        "text": completion.text,
        "contacted": sorted(set(contacted)),
    }))
    """
)


def test_providers_keeps_litellm_offline(fake_upstream):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITELLM_")}
    result = subprocess.run(
        [sys.executable, "-c", CHILD, fake_upstream.base_url],
        capture_output=True, text=True, timeout=120, cwd=REPO_ROOT, env=env,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])

    assert report["env"] == {"LITELLM_LOCAL_MODEL_COST_MAP": "True", "LITELLM_OFFLINE_MODE": "True"}
    assert report["cost_map_source"] == "local"
    assert report["cost_map_entries"] > 100  # the bundled map really loaded
    assert report["text"] == "Echo: Hallo"
    assert set(report["contacted"]) <= {"127.0.0.1", "localhost"}, report["contacted"]
    assert "raw.githubusercontent.com" not in result.stderr
