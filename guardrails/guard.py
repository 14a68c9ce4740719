"""The guard every prompt passes before anything leaves for a model.

`scan_prompt` finds personal data, applies the policy and returns the text that may be
sent. It fails closed: if detection raises or exceeds its time budget, `GuardUnavailable`
is raised and the caller must send nothing. Exceptions never carry the analysed text.
"""
from __future__ import annotations

import concurrent.futures
import logging
import re
import time
from dataclasses import dataclass, field

from guardrails.engine import BuiltEngine
from guardrails.findings import Finding
from guardrails.language import guess_language
from guardrails.policy import Action, GuardPolicy
from guardrails.restore import StreamRestorer, restore_text
from guardrails.spans import resolve_overlaps
from guardrails.vault import Vault

log = logging.getLogger(__name__)


class GuardUnavailable(Exception):
    """Detection failed or timed out; nothing may be sent. `reason` is 'timeout' or 'error'."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"personal-data check failed ({reason})")


@dataclass(frozen=True)
class AppliedFinding(Finding):
    action: str = Action.PSEUDONYMIZE.value
    placeholder: str | None = None


@dataclass
class ScanResult:
    text: str
    findings: list[AppliedFinding]
    language: str
    elapsed_ms: float
    blocked_entity_types: list[str] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return bool(self.blocked_entity_types)


class Guard:
    def __init__(self, engine: BuiltEngine, policy: GuardPolicy | None = None) -> None:
        self._engine = engine
        self.policy = policy or GuardPolicy()
        # A small pool: analysis is CPU-bound (more threads buy nothing under the GIL), and a
        # bounded pool keeps timed-out calls that are still running from piling up threads.
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="guard")

    # -- detection -------------------------------------------------------------------------
    def analyze(self, text: str, language: str | None = None, vault: Vault | None = None) -> list[Finding]:
        language = language or guess_language(text)
        future = self._pool.submit(self._analyze_now, text, language, vault)
        try:
            return future.result(timeout=self.policy.timeout_seconds)
        except concurrent.futures.TimeoutError:
            future.cancel()
            log.error("guard.timeout", extra={"chars": len(text), "timeout_s": self.policy.timeout_seconds})
            raise GuardUnavailable("timeout") from None
        except GuardUnavailable:
            raise
        except Exception as exc:  # noqa: BLE001 - fail closed on anything, but never echo the text
            log.error("guard.error", extra={"error_type": type(exc).__name__, "chars": len(text)})
            raise GuardUnavailable("error") from None

    def _analyze_now(self, text: str, language: str, vault: Vault | None) -> list[Finding]:
        results = self._engine.analyzer.analyze(
            text=text, language=language, score_threshold=self.policy.score_threshold)
        findings = [
            Finding(r.entity_type, r.start, r.end, round(float(r.score), 3),
                    (r.recognition_metadata or {}).get("recognizer_name", "unknown"))
            for r in results
        ]
        if vault is not None:
            findings += _known_values(text, vault)
        return resolve_overlaps(findings)

    # -- the prompt path -------------------------------------------------------------------
    def scan_prompt(self, text: str, vault: Vault, language: str | None = None) -> ScanResult:
        started = time.perf_counter()
        language = language or guess_language(text)
        findings = self.analyze(text, language, vault)
        blocked = sorted({f.entity_type for f in findings
                          if self.policy.action_for(f.entity_type) is Action.BLOCK})
        applied: list[AppliedFinding] = []
        pieces: list[str] = []
        cursor = 0
        for f in findings:
            action = self.policy.action_for(f.entity_type)
            value = text[f.start:f.end]
            pieces.append(text[cursor:f.start])
            placeholder = None
            if action is Action.PSEUDONYMIZE:
                placeholder = vault.placeholder_for(f.entity_type, value)
                pieces.append(placeholder)
            elif action is Action.MASK:
                pieces.append(_mask(value))
            else:  # allow, or block (the text is not sent at all then)
                pieces.append(value)
            cursor = f.end
            applied.append(AppliedFinding(f.entity_type, f.start, f.end, f.score, f.recognizer,
                                          action.value, placeholder))
        pieces.append(text[cursor:])
        return ScanResult(
            text="".join(pieces) if not blocked else "",
            findings=applied,
            language=language,
            elapsed_ms=round((time.perf_counter() - started) * 1000, 2),
            blocked_entity_types=blocked,
        )

    # -- the answer path -------------------------------------------------------------------
    @staticmethod
    def restore(text: str, vault: Vault) -> str:
        return restore_text(text, vault)

    @staticmethod
    def stream_restorer(vault: Vault) -> StreamRestorer:
        return StreamRestorer(vault)

    def status(self) -> dict:
        return {
            "recognizers": len(self._engine.recognizer_names),
            "pipelines": dict(self._engine.nlp_engine.descriptions),
            "score_threshold": self.policy.score_threshold,
        }


def _mask(value: str) -> str:
    return re.sub(r"\w", "*", value)


def _known_values(text: str, vault: Vault) -> list[Finding]:
    """Values already pseudonymised earlier in the conversation keep their placeholder,
    even where the recognizers would not find them again in a new context."""
    found = []
    for original, entity_type in vault.known_values():
        if len(original) < 3:
            continue
        pattern = r"(?<!\w)" + re.escape(original) + r"(?!\w)"
        for m in re.finditer(pattern, text, flags=re.IGNORECASE):
            found.append(Finding(entity_type, m.start(), m.end(), 1.0, "ConversationVault"))
    return found
