"""The OpenAPI description of the `/v1` API, served at `/openapi.json`.

Only the OpenAI-compatible routes are described (pages, health and the demo model's
loopback are `include_in_schema=False`): it is what a developer pointing a tool at
Spielraum needs. `POST /v1/chat/completions` parses its body by hand (so broken JSON gets
a clear 400, see `api_routes.py`), so FastAPI cannot see the request model; its schema is
added here from `ChatCompletionRequest` itself, so the description cannot drift from the code.
The response models mirror OpenAI's shapes as Spielraum sends them.
"""
from __future__ import annotations

from typing import Literal

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from app.chat.api_service import ChatCompletionRequest

REQUEST_SCHEMA_REF = {"$ref": "#/components/schemas/ChatCompletionRequest"}
BEARER = "bearerToken"


class ModelObject(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str
    display_name: str
    description: str | None = None
    default: bool = False  # the model IT preselects


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelObject]


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int
    message: AssistantMessage
    logprobs: None = None
    finish_reason: str


class UsageCounts(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(BaseModel):
    """The answer, restored for the caller (placeholders replaced by the original values)."""
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: UsageCounts


class ErrorDetail(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str
    message_de: str
    message_en: str


class ErrorResponse(BaseModel):
    error: ErrorDetail


CHAT_COMPLETIONS_DOC = {
    "summary": "Create a chat completion (guarded)",
    "description": ("OpenAI's chat completion, through Spielraum's guard: personal data is replaced by "
                    "placeholders before the model sees it and restored in the answer. With `stream: true` "
                    "the answer comes as server-sent events (`chat.completion.chunk`, then `[DONE]`)."),
    "openapi_extra": {"requestBody": {"required": True,
                                      "content": {"application/json": {"schema": REQUEST_SCHEMA_REF}}}},
    "responses": {
        200: {"model": ChatCompletion, "content": {"text/event-stream": {"schema": {"type": "string"}}},
              "description": "The completion (JSON), or a stream of chunks when `stream` is true."},
        400: {"model": ErrorResponse, "description": "Malformed request, or `pii_blocked`."},
        401: {"model": ErrorResponse, "description": "Missing or invalid API token."},
        404: {"model": ErrorResponse, "description": "Unknown model or conversation."},
        413: {"model": ErrorResponse, "description": "Request too large."},
        429: {"model": ErrorResponse, "description": "`daily_limit_reached`: your requests to this model today."},
    },
}
MODELS_DOC = {
    "summary": "List the models you may use (by role and group; switched-off models are left out)",
    "response_model": ModelList,
    "responses": {401: {"model": ErrorResponse, "description": "Missing or invalid API token."}},
}


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title="Spielraum API", version=app.version, routes=app.routes,
                             description="OpenAI-compatible API of Spielraum. Authenticate with "
                                         "`Authorization: Bearer <token>` (`spielraum token create`).")
        components = schema.setdefault("components", {})
        schemas = components.setdefault("schemas", {})
        request = ChatCompletionRequest.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(request.pop("$defs", {}))
        schemas["ChatCompletionRequest"] = request
        components["securitySchemes"] = {BEARER: {"type": "http", "scheme": "bearer"}}
        for path, operations in schema.get("paths", {}).items():
            if path.startswith("/v1/"):
                for operation in operations.values():
                    operation["security"] = [{BEARER: []}]
        app.openapi_schema = schema
        return schema

    app.openapi = openapi
