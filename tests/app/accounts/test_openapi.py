"""`/openapi.json` describes the /v1 API, with its request and response models, and nothing else."""
from __future__ import annotations


def test_openapi_lists_the_api_with_its_models(env):
    response = env.client.get("/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert set(schema["paths"]) == {"/v1/chat/completions", "/v1/models"}
    completions = schema["paths"]["/v1/chat/completions"]["post"]
    body = completions["requestBody"]["content"]["application/json"]["schema"]
    components = schema["components"]["schemas"]
    assert body == {"$ref": "#/components/schemas/ChatCompletionRequest"}
    request = components["ChatCompletionRequest"]
    assert {"model", "messages", "stream", "max_tokens", "temperature"} <= set(request["properties"])
    assert set(request["required"]) == {"model", "messages"}
    # Every reference points at a component that exists.
    import json
    import re

    for ref in set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(schema))):
        assert ref in components, ref
    assert "ChatCompletion" in components and "ModelList" in components and "ErrorResponse" in components
    assert completions["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ChatCompletion"}
    header = next(p for p in completions["parameters"] if p["name"] == "X-Spielraum-Conversation")
    assert header["in"] == "header"
    assert schema["paths"]["/v1/models"]["get"]["security"] == [{"bearerToken": []}]


def test_the_models_route_still_answers_in_openais_shape(env):
    token = env.token(env.user())
    models = env.client.get("/v1/models", headers={"Authorization": f"Bearer {token}"}).json()
    assert models["object"] == "list" and {m["id"] for m in models["data"]} >= {"fake", "fake-short"}
    assert all(m["object"] == "model" and m["owned_by"] == "spielraum" for m in models["data"])


def test_no_interactive_docs_are_served(env):
    assert env.client.get("/docs").status_code == 404
    assert env.client.get("/redoc").status_code == 404
