"""How a turn's input arrives: the one difference between the browser and the API.

A strategy turns what the client sent into the messages to guard and send:

- `WebInput`: the browser sends only the new prompt and its vault; the stored (already
  pseudonymised) history of the conversation comes from the database. History placeholders
  are reserved in the vault, so a browser that lost its vault never reuses one for a new value.
- `ApiInput`: API clients resend the whole history, with answers already restored; every
  message is pseudonymised again, in order, with ONE fresh vault, so each value gets the same
  placeholder as in the previous call.

Everything else (rules, verdicts, messages, error codes) lives in `pipeline.py`, once.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from app.errors import InvalidRequest, PromptTooLong
from app.storage.tables import Channel
from guardrails import Term, Vault


@dataclass(frozen=True)
class InputMessage:
    role: str
    text: str
    scan: bool          # False: already pseudonymised (stored history)


@dataclass
class PreparedInput:
    vault: Vault
    messages: list[InputMessage]
    terms: list[Term] = field(default_factory=list)   # marked by the person as personal data


def _empty() -> InvalidRequest:
    return InvalidRequest("Bitte geben Sie zuerst eine Nachricht ein.", "Please type a message first.",
                          code="empty_prompt")


@dataclass
class WebInput:
    prompt: str
    vault: dict[str, str] = field(default_factory=dict)   # kept by the browser
    marks: list[Term] = field(default_factory=list)       # words the person marked in the preview
    channel: str = Channel.WEB.value
    needs_history: bool = True

    def check(self, max_chars: int) -> None:
        if not self.prompt or not self.prompt.strip():
            raise _empty()
        if len(self.prompt) > max_chars:
            raise PromptTooLong(
                f"Ihre Eingabe ist zu lang (höchstens {max_chars} Zeichen). "
                "Bitte kürzen Sie sie oder teilen Sie sie auf.",
                f"Your input is too long (at most {max_chars} characters). Please shorten it or split it up.")

    def prepare(self, history: list[dict]) -> PreparedInput:
        vault = Vault(dict(self.vault))
        for message in history:
            vault.reserve_placeholders_in(message["content"])
        messages = [InputMessage(m["role"], m["content"], scan=False) for m in history]
        messages.append(InputMessage("user", self.prompt, scan=True))
        return PreparedInput(vault, messages, list(self.marks))


@dataclass
class ApiInput:
    messages: list[tuple[str, str]]                       # (role, text), the whole history
    channel: str = Channel.API.value
    needs_history: bool = False

    def check(self, max_chars: int) -> None:
        if not any(text.strip() for _, text in self.messages):
            raise _empty()
        if sum(len(text) for _, text in self.messages) > max_chars:
            raise PromptTooLong(
                f"Die Nachrichten sind zusammen zu lang (höchstens {max_chars} Zeichen).",
                f"The messages are too long in total (at most {max_chars} characters).")

    def prepare(self, history: list[dict]) -> PreparedInput:
        return PreparedInput(Vault(), [InputMessage(role, text, scan=bool(text)) for role, text in self.messages])
