"""What the guard does with each kind of personal data it finds.

IT sets one action per entity type (pseudonymise by default) and a score threshold below
which a candidate is not acted on. `block` stops the whole prompt; `mask` hides the value
for good (it is not restored in the answer); `allow` lets it through unchanged.

Secrets (API keys, tokens, passwords, private keys: entity type SECRET) are masked unless IT
sets an action for them: a credential must never come back in an answer. A policy that
blocks by default blocks them too.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


# Entity types whose action differs from the default unless configured explicitly.
SECRET = "SECRET"
BUILT_IN_ACTIONS: dict[str, "Action"] = {}


class Action(str, Enum):
    PSEUDONYMIZE = "pseudonymize"
    MASK = "mask"
    BLOCK = "block"
    ALLOW = "allow"


BUILT_IN_ACTIONS[SECRET] = Action.MASK


@dataclass(frozen=True)
class GuardPolicy:
    default_action: Action = Action.PSEUDONYMIZE
    actions: dict[str, Action] = field(default_factory=dict)
    score_threshold: float = 0.4
    timeout_seconds: float = 10.0

    def action_for(self, entity_type: str) -> Action:
        configured = self.actions.get(entity_type)
        if configured is not None:
            return configured
        built_in = BUILT_IN_ACTIONS.get(entity_type)
        if built_in is not None and self.default_action is not Action.BLOCK:
            return built_in
        return self.default_action

    @classmethod
    def from_mapping(cls, data: dict) -> "GuardPolicy":
        """Build from plain configuration (YAML / environment), rejecting unknown actions loudly."""
        actions = {str(k).upper(): Action(str(v).lower()) for k, v in (data.get("actions") or {}).items()}
        return cls(
            default_action=Action(str(data.get("default_action", Action.PSEUDONYMIZE.value)).lower()),
            actions=actions,
            score_threshold=float(data.get("score_threshold", cls.score_threshold)),
            timeout_seconds=float(data.get("timeout_seconds", cls.timeout_seconds)),
        )
