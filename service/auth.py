"""API keys: ``read`` and ``write`` scopes, stored as SHA-256 hashes, never in clear.

A key looks like ``ggk_<prefix>_<secret>``. The prefix (8 hex characters) is stored in clear
and indexed, so a request costs one indexed lookup; the secret is 256 bits of randomness, so
a fast hash is enough (no password-stretching needed for keys nobody chose by hand).

The API keeps keys it has verified for a few seconds (``KeyCache``), so that a client's
requests do not each pay a store round trip. Revocation still takes effect: at once in the
process that revokes (the cache is dropped), within the cache's TTL in a running server when
the key is revoked from another process (``govgraph keys revoke``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from graph_schema.records import api_key_revision, create_api_key_record, find_api_key
from graph_schema.store import GraphStore

__all__ = ["ApiKey", "KeyCache", "Scope", "create_api_key", "verify_api_key"]

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


class KeyCache:
    """Keys verified in the last ``ttl`` seconds, by the SHA-256 of the presented string.

    Only successful verifications are kept (an unknown key costs a lookup every time, and
    cannot fill the cache), at most ``max_entries`` of them. Every entry is dropped when a
    key is revoked in this process (``graph_schema.records.api_key_revision``); a
    revocation from another process is seen once the entry is ``ttl`` seconds old.
    ``ttl <= 0`` turns the cache off.
    """

    def __init__(
        self,
        ttl: float = 5.0,
        max_entries: int = 1024,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._items: OrderedDict[str, tuple[float, ApiKey]] = OrderedDict()
        self._revision = api_key_revision()
        self._lock = threading.Lock()

    def cached(self, presented: str) -> ApiKey | None:
        """The key if it was verified less than ``ttl`` seconds ago; never asks the store."""
        if self.ttl <= 0:
            return None
        digest = _hash(presented.strip())
        with self._lock:
            return self._fresh(digest, self._clock())

    def _fresh(self, digest: str, now: float) -> ApiKey | None:
        if self._revision != api_key_revision():
            self._items.clear()
            self._revision = api_key_revision()
        hit = self._items.get(digest)
        return hit[1] if hit is not None and now - hit[0] < self.ttl else None

    def verify(self, store: GraphStore, presented: str) -> ApiKey | None:
        if self.ttl <= 0:
            return verify_api_key(store, presented)
        digest = _hash(presented.strip())
        now = self._clock()
        with self._lock:
            hit = self._fresh(digest, now)
            if hit is not None:
                return hit
            revision = self._revision
        key = verify_api_key(store, presented)
        with self._lock:
            # Not kept if a revocation happened while we looked the key up.
            if key is not None and revision == api_key_revision() == self._revision:
                self._items[digest] = (now, key)
                self._items.move_to_end(digest)
                while len(self._items) > self.max_entries:
                    self._items.popitem(last=False)
            elif key is None:
                self._items.pop(digest, None)
        return key

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
