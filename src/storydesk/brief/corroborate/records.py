"""The records of claims across outlets: a statement offered as a claim, a title given to an actor, and
why two of them disagree."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Statement", "RoleStatement", "Conflict"]


@dataclass(frozen=True, slots=True)
class Statement:
    """A sentence offered as a claim: where it comes from and the people it names (surface forms)."""

    article_id: str
    index: int
    text: str
    people: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Conflict:
    """Why two statements disagree: the kind (number/date/name/role), the two sides, and how sure."""

    kind: str
    left: str
    right: str
    confidence: float

    @property
    def reason(self) -> str:
        return f"{self.kind}: {self.left} vs {self.right}"

    def flipped(self) -> Conflict:
        return Conflict(self.kind, self.right, self.left, self.confidence)


@dataclass(frozen=True, slots=True)
class RoleStatement:
    """A sentence giving an actor a role: "Foreign Minister Pavel Dronov" → (Pavel Dronov, Foreign Minister)."""

    actor: str
    role: str
    article_id: str
    index: int
    text: str
