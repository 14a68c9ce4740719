"""The guard every prompt passes before anything leaves for a model.

`scan_conversation` takes every text of one request (the history and the new prompt) and
returns, per text, what may be sent: it detects in all texts first, then pseudonymises
everything found anywhere in every text, so a surname alone in an early message gets the
placeholder of the full name in a later one. `scan_prompt` is the one-text case.

Recognizers see a normalised view of each text (`guardrails.normalize`); findings are mapped
back to the original characters, so an IBAN with zero-width spaces inside is replaced whole.
Text the user typed that looks like a placeholder ("[PERSON_1]") is escaped with fullwidth
brackets so it can never be taken for a real one; restoring turns it back.

It fails closed: if detection raises or exceeds its time budget, `GuardUnavailable` is
raised and the caller must send nothing. Exceptions never carry the analysed text.
"""
from __future__ import annotations

import concurrent.futures
import copy
import logging
import re
import time
from dataclasses import dataclass, field

from collections.abc import Sequence

from guardrails.allow_list import allowed_spans, drop_allowed
from guardrails.engine import BuiltEngine
from guardrails.findings import Finding

from guardrails.known_values import KnownTerms
from guardrails.language import guess_language
from guardrails.names.lexicon import load_lexicon
from guardrails.normalize import NormalizedText, normalize
from guardrails.policy import SECRET, Action, GuardPolicy
from guardrails.restore import (
    RestoreResult, StreamRestorer, escape_placeholders, restore_answer, restore_text, unescape_placeholders)
from guardrails.rows import dates_after_names, table_findings
from guardrails.spans import join_split_names, resolve_overlaps
from guardrails.term_lists import Term, find_terms
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


@dataclass(frozen=True)
class Occurrence:
    """One placeholder in `ScanResult.text` and the exact original it replaced there."""
    start: int
    end: int
    placeholder: str
    original: str


@dataclass
class ScanResult:
    text: str
    findings: list[AppliedFinding]
    language: str
    elapsed_ms: float
    blocked_entity_types: list[str] = field(default_factory=list)
    # Where each placeholder stands in `text` and what the user typed there (never logged).
    occurrences: list[Occurrence] = field(default_factory=list, repr=False)

    @property
    def blocked(self) -> bool:
        return bool(self.blocked_entity_types)

    def as_typed(self) -> str:
        """The sent text with each placeholder back to exactly what the user typed there
        ("Frau Oberländer", not the person's full name); masked values stay masked."""
        pieces, cursor = [], 0
        for occ in self.occurrences:
            pieces += [self.text[cursor:occ.start], occ.original]
            cursor = occ.end
        pieces.append(self.text[cursor:])
        return unescape_placeholders("".join(pieces))


class Guard:
    def __init__(self, engine: BuiltEngine, policy: GuardPolicy | None = None) -> None:
        self._engine = engine
        self.policy = policy or GuardPolicy()
        # A small pool: analysis is CPU-bound (more threads buy nothing under the GIL), and a
        # bounded pool keeps timed-out calls that are still running from piling up threads.
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="guard")

    def with_policy(self, policy: GuardPolicy) -> "Guard":
        """This guard (same engine, same pool) under another policy, for one request or one
        configuration version. The original is untouched, so threads scanning with it at the
        same time are not affected."""
        if policy is self.policy:
            return self
        clone = copy.copy(self)
        clone.policy = policy
        return clone

    # -- detection -------------------------------------------------------------------------
    def analyze(self, text: str, language: str | None = None, vault: Vault | None = None) -> list[Finding]:
        language = language or guess_language(text)
        return self._fail_closed(self._detect_all, [text], [language], vault, chars=len(text))[0]

    def analyze_conversation(self, texts: Sequence[str], vault: Vault | None = None,
                             languages: Sequence[str] | None = None,
                             terms: Sequence[Term] = ()) -> list[list[Finding]]:
        """Findings per text, each text also searched for every value found in any of them
        and for the given terms (marked by the person, or an organisation's deny list)."""
        languages = _languages(texts, languages)
        return self._fail_closed(self._detect_all, list(texts), languages, vault, tuple(terms),
                                 chars=sum(len(t) for t in texts))

    def _fail_closed(self, fn, *args, chars: int):
        future = self._pool.submit(fn, *args)
        try:
            return future.result(timeout=self.policy.timeout_seconds)
        except concurrent.futures.TimeoutError:
            future.cancel()
            log.error("guard.timeout", extra={"chars": chars, "timeout_s": self.policy.timeout_seconds})
            raise GuardUnavailable("timeout") from None
        except GuardUnavailable:
            raise
        except Exception as exc:  # noqa: BLE001 - fail closed on anything, but never echo the text
            log.error("guard.error", extra={"error_type": type(exc).__name__, "chars": chars})
            raise GuardUnavailable("error") from None

    def _detect_all(self, texts: list[str], languages: list[str], vault: Vault | None,
                    extra_terms: tuple[Term, ...] = ()) -> list[list[Finding]]:
        lexicon = load_lexicon()
        def stays_lower(word: str) -> bool:  # "SCHREIBE" -> "schreibe", but "LANGE" -> "Lange"
            return lexicon.is_lowercase_word(word) and not lexicon.is_name(word.capitalize())

        views = [normalize(t, stays_lower) for t in texts]
        term_list = tuple(extra_terms) + self.policy.deny_terms
        allowed = [allowed_spans(view, self.policy.allow_terms) for view in views]
        found = [drop_allowed(self._detect(view, lang) + find_terms(view, term_list), spans)
                 for view, lang, spans in zip(views, languages, allowed)]
        terms = KnownTerms(lexicon)
        if vault is not None:
            terms.add_vault(vault)
        for text, findings in zip(texts, found):
            terms.add_findings(text, findings)
        return [join_split_names(view.original, resolve_overlaps(findings + drop_allowed(terms.find(view), spans)))
                for view, findings, spans in zip(views, found, allowed)]

    def _detect(self, view: NormalizedText, language: str) -> list[Finding]:
        policy = self.policy
        results = self._engine.analyzer.analyze(
            text=view.text, language=language, score_threshold=policy.lowest_threshold)
        found = [Finding(r.entity_type, r.start, r.end, round(float(r.score), 3),
                         (r.recognition_metadata or {}).get("recognizer_name", "unknown")) for r in results]
        found = [f for f in found if f.score >= policy.threshold_for(f.entity_type)]
        found += table_findings(view.text)
        found += dates_after_names(view.text, found)
        findings = []
        for f in found:
            if f.score < policy.threshold_for(f.entity_type):
                continue
            start, end = view.to_original(f.start, f.end)
            findings.append(Finding(f.entity_type, start, end, f.score, f.recognizer))
        return findings

    # -- the prompt path -------------------------------------------------------------------
    def scan_prompt(self, text: str, vault: Vault, language: str | None = None) -> ScanResult:
        return self.scan_conversation([text], vault, [language] if language else None)[0]

    def scan_conversation(self, texts: Sequence[str], vault: Vault,
                          languages: Sequence[str | None] | None = None,
                          model_written: Sequence[bool] | None = None,
                          terms: Sequence[Term] = ()) -> list[ScanResult]:
        """Pseudonymise all texts of one request consistently, in order (oldest first).

        Everything found in any text is replaced in every text, with one placeholder per
        value (and per person, see `Vault`). Returns one `ScanResult` per text, same order;
        if any of them is `blocked`, nothing of the request may be sent. `languages` may be
        omitted or hold None for texts whose language should be guessed.

        `terms` are treated as personal data wherever they occur (see `term_lists`).

        Placeholder-like text is escaped (it was typed by the user), except in texts flagged
        in `model_written` (earlier answers of the model), where a placeholder the vault knows
        is the model's own, such as one withheld inside a link, and stays as it is.
        """
        started = time.perf_counter()
        texts = list(texts)
        languages = _languages(texts, languages)
        all_findings = self.analyze_conversation(texts, vault, languages, terms)
        flags = list(model_written) if model_written else [False] * len(texts)
        if len(flags) != len(texts):
            raise ValueError("one model_written flag per text")
        results = [self._apply(text, findings, vault, lang, keep_known=flag)
                   for text, findings, lang, flag in zip(texts, all_findings, languages, flags)]
        elapsed = round((time.perf_counter() - started) * 1000, 2)
        for result in results:
            result.elapsed_ms = elapsed
        return results

    def _apply(self, text: str, findings: list[Finding], vault: Vault, language: str,
               keep_known: bool = False) -> ScanResult:
        def escape(part: str) -> str:
            return escape_placeholders(part, keep=vault.original if keep_known else None)

        blocked = sorted({f.entity_type for f in findings
                          if self.policy.action_for(f.entity_type) is Action.BLOCK})
        applied: list[AppliedFinding] = []
        occurrences: list[Occurrence] = []
        pieces: list[str] = []
        length = 0
        cursor = 0
        for f in findings:
            action = self.policy.action_for(f.entity_type)
            value = text[f.start:f.end]
            between = escape(text[cursor:f.start])
            pieces.append(between)
            length += len(between)
            placeholder = None
            if action is Action.PSEUDONYMIZE:
                placeholder = vault.placeholder_for(f.entity_type, value)
                replacement = placeholder
                occurrences.append(Occurrence(length, length + len(placeholder), placeholder, value))
            elif action is Action.MASK:
                replacement = _mask(value, f.entity_type)
            else:  # allow, or block (the text is not sent at all then)
                replacement = escape(value)
            pieces.append(replacement)
            length += len(replacement)
            cursor = f.end
            applied.append(AppliedFinding(f.entity_type, f.start, f.end, f.score, f.recognizer,
                                          action.value, placeholder))
        pieces.append(escape(text[cursor:]))
        return ScanResult(
            text="".join(pieces) if not blocked else "",
            findings=applied,
            language=language,
            elapsed_ms=0.0,
            blocked_entity_types=blocked,
            occurrences=occurrences if not blocked else [],
        )

    # -- the answer path -------------------------------------------------------------------
    @staticmethod
    def restore(text: str, vault: Vault) -> str:
        """Originals back into an answer; placeholders inside links stay (see `restore_answer`)."""
        return restore_text(text, vault)

    @staticmethod
    def restore_answer(text: str, vault: Vault) -> RestoreResult:
        return restore_answer(text, vault)

    @staticmethod
    def stream_restorer(vault: Vault) -> StreamRestorer:
        return StreamRestorer(vault)

    def capabilities(self) -> dict:
        """What this guard can detect with: recognizers, NLP pipelines, languages (no text)."""
        return self._engine.capabilities()

    def status(self) -> dict:
        return {
            "recognizers": len(self._engine.recognizer_names),
            "pipelines": dict(self._engine.nlp_engine.descriptions),
            "score_threshold": self.policy.score_threshold,
        }


def _languages(texts: Sequence[str], languages: Sequence[str | None] | None) -> list[str]:
    given = list(languages) if languages else [None] * len(texts)
    if len(given) != len(texts):
        raise ValueError("one language (or None) per text")
    return [lang or guess_language(text) for text, lang in zip(texts, given)]


def _mask(value: str, entity_type: str) -> str:
    """Letters and digits hidden, the shape kept; a secret loses its punctuation too
    ("Sommer2024!" must not keep its "!")."""
    return re.sub(r"\S" if entity_type == SECRET else r"\w", "*", value)
