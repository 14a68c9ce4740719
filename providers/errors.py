"""Errors the provider layer raises, each carrying its HTTP status and a message a person can act on.

Design choice: every upstream failure, whatever the SDK or provider behind it, collapses into a
handful of named errors with a stable ``code``. The app renders ``user_message`` (German, polite
"Sie") or ``user_message_en`` and answers with ``http_status``; it never needs to know litellm.

Privacy by construction: the technical ``detail`` (what ``str(error)`` shows and what logs see)
is composed here from safe facts only (model id, upstream status, exception class name). The
upstream's own error text is never copied, because providers echo parts of the prompt in it.
"""
from __future__ import annotations


class ProviderError(Exception):
    """Base class of every failure talking to a model; never contains prompt or answer text."""

    code: str = "provider_error"
    http_status: int = 502
    user_message: str = (
        "Bei der Anfrage an das Sprachmodell ist ein Fehler aufgetreten. "
        "Bitte versuchen Sie es später erneut."
    )
    user_message_en: str = (
        "Something went wrong while asking the language model. Please try again later."
    )

    def __init__(
        self,
        detail: str = "",
        *,
        model_id: str | None = None,
        upstream_status: int | None = None,
    ) -> None:
        self.detail = detail or self.code
        # True when no answer came at all (refused connection, DNS, TLS): litellm still
        # reports a status (500) for those, so the status alone cannot tell.
        self.unreachable = False
        self.model_id = model_id
        self.upstream_status = upstream_status
        super().__init__(self.detail)


class UpstreamTimeout(ProviderError):
    code = "upstream_timeout"
    http_status = 504
    user_message = (
        "Das Sprachmodell hat nicht rechtzeitig geantwortet. "
        "Bitte versuchen Sie es in einigen Minuten erneut."
    )
    user_message_en = (
        "The language model did not answer in time. Please try again in a few minutes."
    )


class UpstreamUnavailable(ProviderError):
    code = "upstream_error"
    http_status = 502
    user_message = (
        "Das Sprachmodell ist derzeit nicht erreichbar. "
        "Bitte versuchen Sie es später erneut."
    )
    user_message_en = "The language model cannot be reached right now. Please try again later."


class UpstreamRejected(ProviderError):
    """The upstream refused the request (4xx): bad key, unknown model, rate limit, too long, …

    ``reason`` refines the message for the person without changing the stable ``code``.
    """

    code = "upstream_rejected"
    http_status = 502
    user_message = (
        "Der Modellanbieter hat die Anfrage abgelehnt. Falls das wiederholt auftritt, "
        "wenden Sie sich bitte an die Administration."
    )
    user_message_en = (
        "The model provider rejected the request. If this keeps happening, "
        "please contact your administrators."
    )

    _MESSAGES_BY_REASON: dict[str, tuple[str, str]] = {
        "rate_limited": (
            "Der Modellanbieter ist derzeit ausgelastet. "
            "Bitte warten Sie einen Moment und versuchen Sie es dann erneut.",
            "The model provider is busy right now. Please wait a moment and try again.",
        ),
        "context_too_long": (
            "Die Unterhaltung ist für dieses Modell zu lang. "
            "Bitte beginnen Sie eine neue Unterhaltung oder kürzen Sie Ihre Eingabe.",
            "The conversation is too long for this model. "
            "Please start a new conversation or shorten your input.",
        ),
        "content_policy": (
            "Der Modellanbieter hat die Anfrage aufgrund seiner Inhaltsrichtlinien abgelehnt. "
            "Bitte formulieren Sie Ihre Anfrage um.",
            "The model provider declined the request under its content policy. "
            "Please rephrase your request.",
        ),
    }

    def __init__(
        self,
        detail: str = "",
        *,
        model_id: str | None = None,
        upstream_status: int | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(detail, model_id=model_id, upstream_status=upstream_status)
        self.reason = reason
        if reason in self._MESSAGES_BY_REASON:
            self.user_message, self.user_message_en = self._MESSAGES_BY_REASON[reason]


class StreamInterrupted(ProviderError):
    code = "stream_interrupted"
    http_status = 502
    user_message = (
        "Die Antwort des Sprachmodells wurde unterbrochen. "
        "Bitte senden Sie Ihre Anfrage erneut."
    )
    user_message_en = (
        "The language model's answer was interrupted. Please send your request again."
    )


class UpstreamMalformed(ProviderError):
    """The upstream answered, but not in the agreed format (broken JSON, no ``choices``, wrong types).

    Its own code, so an operator sees a misconfigured or broken model server instead of an
    empty answer that looks like success.
    """

    code = "upstream_malformed"
    http_status = 502
    user_message = (
        "Das Sprachmodell hat eine unlesbare Antwort geliefert. Bitte versuchen Sie es erneut; "
        "falls das wiederholt auftritt, wenden Sie sich bitte an die Administration."
    )
    user_message_en = (
        "The language model sent an unreadable answer. Please try again; "
        "if this keeps happening, please contact your administrators."
    )


class UnknownModel(ProviderError):
    code = "unknown_model"
    http_status = 404
    user_message = (
        "Das gewählte Modell ist nicht verfügbar. Bitte wählen Sie ein anderes Modell."
    )
    user_message_en = "The selected model is not available. Please choose another model."
