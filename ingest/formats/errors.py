"""The one error every converter raises, in a leaf module (the converters and the package's dispatcher
both import it)."""
from __future__ import annotations


class UnreadableFormat(ValueError):
    """The bytes cannot be turned into text; `reason` says why and what to do."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)
