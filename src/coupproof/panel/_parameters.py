"""Shared behaviour of the frozen parameter dataclasses (panel and threat)."""

from __future__ import annotations

import dataclasses
import hashlib
import json


class ParameterSet:
    """Mixin for frozen dataclasses of parameters: copy with changes, hash, compare to defaults."""

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def key(self) -> str:
        """Short stable hash of the parameters (names cache files)."""
        blob = json.dumps(self.to_dict(), sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def differences(self) -> dict:
        """The parameters that differ from the defaults, as {name: value}."""
        base = type(self)().to_dict()
        return {k: v for k, v in self.to_dict().items() if base[k] != v}
