"""A built-in demonstration model, so Spielraum can be tried before IT connects a real one.

With no model catalogue configured, `spielraum serve` offers "Demo: Echo". It is a tiny
OpenAI-compatible endpoint served by Spielraum itself under /demo/v1 and called through the
same litellm path as any real model, over HTTP on the loopback interface. It answers with
exactly what it received, which is the point of the demo: the person sees that the model got
placeholders, and that the originals come back only in their own browser.
"""
from __future__ import annotations

from providers import ModelSpec

DEMO_MODEL_ID = "demo-echo"
DEMO_PATH = "/demo/v1"


def demo_model_spec(base_url: str) -> ModelSpec:
    return ModelSpec(
        id=DEMO_MODEL_ID,
        display_name="Demo: Echo",
        litellm_model="openai/demo-echo",
        api_base=base_url.rstrip("/") + DEMO_PATH,
        api_key_env=None,
        description=("Kein echtes Sprachmodell: zeigt Ihnen, was beim Modell angekommen ist. "
                     "/ Not a real model: shows you what the model received."),
        max_tokens=2048,
        timeout_seconds=15,
    )


def loopback_base_url(host: str, port: int) -> str:
    """Where the server can reach itself: the loopback address unless bound to one address."""
    reachable = "127.0.0.1" if host in ("0.0.0.0", "::", "", "localhost") else host
    if ":" in reachable:
        reachable = f"[{reachable}]"
    return f"http://{reachable}:{port}"
