"""„Verbindung testen“: one real, tiny call to a model, reported to IT in words.

The person testing is IT, not an employee, so the words say what to check (address, key,
model name) rather than "please try again later". The outcome is written to the audit log
(model, result, latency, error code and upstream status; never a key or the upstream's text).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import anyio
from sqlmodel import Session

from app.admin.change_log import record_change
from app.chat.model_directory import ModelDirectory, spec_from_entry
from app.storage import model_entries
from app.storage.tables import User
from providers import ModelSpec, ProviderError, probe_model

log = logging.getLogger("spielraum.admin")


@dataclass(frozen=True)
class TestOutcome:
    model_id: str
    ok: bool
    latency_ms: int | None = None
    code: str | None = None
    upstream_status: int | None = None
    message_de: str = ""
    message_en: str = ""

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def explain(error: ProviderError) -> tuple[str, str]:
    """What the failure means for the person configuring the model (German, English)."""
    status = error.upstream_status
    shown = f" (HTTP {status})" if status else ""
    if error.code == "upstream_timeout":
        return ("Der Server hat nicht rechtzeitig geantwortet. Prüfen Sie, ob er läuft und nicht überlastet "
                "ist, oder erhöhen Sie die Zeitgrenze.",
                "The server did not answer in time. Check that it is running and not overloaded, "
                "or raise the time limit.")
    if error.unreachable:
        return _UNREACHABLE
    if status in (401, 403):
        return (f"Der Anbieter hat den API-Schlüssel abgelehnt{shown}. Prüfen Sie den Schlüssel bzw. die "
                f"Umgebungsvariable und ob der Schlüssel für dieses Modell freigeschaltet ist.",
                f"The provider rejected the API key{shown}. Check the key or the environment variable, "
                f"and that the key may use this model.")
    if status == 404:
        return (f"Unter dieser Adresse gibt es das Modell nicht{shown}. Prüfen Sie die Modellbezeichnung "
                f"(litellm) und die Adresse (api_base).",
                f"The model does not exist at this address{shown}. Check the litellm model string and "
                f"the address (api_base).")
    if status == 429:
        return (f"Der Anbieter begrenzt gerade die Anfragen{shown}; die Verbindung selbst funktioniert.",
                f"The provider is limiting requests right now{shown}; the connection itself works.")
    if error.code == "upstream_rejected":
        return (f"Der Anbieter hat die Anfrage abgelehnt{shown}. Prüfen Sie Modellbezeichnung, Grenzwerte "
                f"und Schlüssel.",
                f"The provider rejected the request{shown}. Check the model string, limits and key.")
    if error.code == "upstream_malformed":
        return ("Der Server hat geantwortet, aber nicht im erwarteten Format. Ist die Adresse wirklich ein "
                "OpenAI-kompatibler Endpunkt (oft mit /v1 am Ende)?",
                "The server answered, but not in the expected format. Is the address really an "
                "OpenAI-compatible endpoint (often ending in /v1)?")
    if status:
        return (f"Der Server meldet einen Fehler{shown}. Prüfen Sie seine Protokolle.",
                f"The server reports an error{shown}. Check its logs.")
    return _UNREACHABLE


_UNREACHABLE = ("Der Server ist nicht erreichbar. Prüfen Sie die Adresse (api_base), ob der Server läuft und ob "
                "Spielraum ihn über das Netz erreichen darf.",
                "The server cannot be reached. Check the address (api_base), that the server is running "
                "and that Spielraum may reach it over the network.")


def _spec_to_test(session: Session, directory: ModelDirectory, model_id: str) -> ModelSpec | None:
    """A browser model in any state (a disabled one can be tested before it is switched on),
    or a model from the file."""
    entry = model_entries.get_by_model_id(session, model_id)
    if entry is not None and model_id not in directory.base.catalogue:
        return spec_from_entry(entry, directory.cipher)
    return directory.base.catalogue.get(model_id) if model_id in directory.base.catalogue else None


async def run_test(engine, directory: ModelDirectory, actor: User, model_id: str) -> TestOutcome | None:
    """Test the model and record the test; None when there is no such model."""
    def find() -> ModelSpec | None:
        with Session(engine) as session:
            return _spec_to_test(session, directory, model_id)

    spec = await anyio.to_thread.run_sync(find)
    if spec is None:
        return None
    try:
        latency = await probe_model(spec)
        outcome = TestOutcome(model_id, ok=True, latency_ms=latency)
    except ProviderError as error:
        de, en = explain(error)
        outcome = TestOutcome(model_id, ok=False, code=error.code, upstream_status=error.upstream_status,
                              message_de=de, message_en=en)
    except Exception as exc:  # noqa: BLE001 - an unexpected failure is still a test result, by type only
        log.error("models.test_crashed", extra={"model": model_id, "error_type": type(exc).__name__})
        outcome = TestOutcome(model_id, ok=False, code="internal_error",
                              message_de="Der Test ist unerwartet fehlgeschlagen; Einzelheiten stehen im Protokoll.",
                              message_en="The test failed unexpectedly; details are in the log.")

    def record() -> None:
        with Session(engine) as session:
            record_change(session, actor, area="models", verb="test", target=f"model:{model_id}",
                          after={"ok": outcome.ok, "latency_ms": outcome.latency_ms, "code": outcome.code,
                                 "upstream_status": outcome.upstream_status})
    await anyio.to_thread.run_sync(record)
    return outcome
