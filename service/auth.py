"""API keys: ``read`` and ``write`` scopes, stored as SHA-256 hashes, never in clear.

A key looks like ``ggk_<prefix>_<secret>``. The prefix (8 hex characters) is stored in clear
and indexed, so a request costs one indexed lookup; the secret is 256 bits of randomness, so
a fast hash is enough (no password-stretching needed for keys nobody chose by hand).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from enum import StrEnum

from graph_schema.records import create_api_key_record, find_api_key
from graph_schema.store import GraphStore

__all__ = ["ApiKey", "Scope", "create_api_key", "verify_api_key"]

PREFIX = "ggk"


class Scope(StrEnum):
    read = "read"
    write = "write"


@dataclass(frozen=True)
class ApiKey:
    id: str
    name: str
    prefix: str
    scopes: frozenset[Scope]

    def allows(self, scope: Scope) -> bool:
        # A write key can also read: nobody wants two keys to upload and then look.
        return scope in self.scopes or (scope is Scope.read and Scope.write in self.scopes)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_api_key(store: GraphStore, name: str, scopes: set[Scope]) -> tuple[str, ApiKey]:
    """Create a key; returns the full key (shown once) and its record."""
    if not scopes:
        raise ValueError("a key needs at least one scope")
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    key = ApiKey(id=str(uuid.uuid4()), name=name, prefix=prefix, scopes=frozenset(scopes))
    create_api_key_record(
        store,
        {
            "id": key.id,
            "name": name,
            "prefix": prefix,
            "hash": _hash(secret),
            "scopes": sorted(s.value for s in scopes),
        },
    )
    return f"{PREFIX}_{prefix}_{secret}", key


def verify_api_key(store: GraphStore, presented: str) -> ApiKey | None:
    """The key's record if ``presented`` is a valid, unrevoked key; else None."""
    parts = presented.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or len(parts[1]) != 8:
        return None
    record = find_api_key(store, parts[1])
    if record is None or record.get("revoked_at"):
        return None
    if not hmac.compare_digest(str(record.get("hash", "")), _hash(parts[2])):
        return None
    return ApiKey(
        id=record["id"],
        name=record.get("name", ""),
        prefix=record["prefix"],
        scopes=frozenset(Scope(s) for s in record.get("scopes", []) if s in Scope.__members__),
    )
