"""Which documents support which alias of an entity, so that deleting a document drops the
aliases only it used (``/actors?q=`` must stop finding an actor by them).

An entity node keeps ``alias_docs``, a list of strings (maps are not property values):

- ``"<document id>|<alias>"``: the document used the alias (one of its mentions of the
  entity, or a merge-ledger entry it relies on, has that text);
- ``"~<document id>|<alias>"``: the document carries the alias but nothing says it used it.

A batch's entity nodes carry the aliases of the whole extraction run (every batch agrees
on names), so carrying an alias is not using it. The weak ``~`` form exists for aliases no
document is known to have used (a store written before ``alias_docs``, a name that came
from no mention): every document carrying one counts as its user, so a delete never drops
an alias another document may need. A strong claim replaces the weak ones for its alias.
Document ids are content hashes and never contain ``|``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["WEAK", "claims_after_write", "used_aliases"]

WEAK = "~"


def _parse(entry: str) -> tuple[bool, str, str]:
    strong = not entry.startswith(WEAK)
    document_id, _, alias = entry.removeprefix(WEAK).partition("|")
    return strong, document_id, alias


def used_aliases(aliases: Iterable[str], texts: Iterable[str]) -> set[str]:
    """The aliases among ``aliases`` that appear as one of the document's texts for the
    entity (mention texts, merge-ledger aliases); the resolver stores surfaces stripped."""
    seen = {t.strip() for t in texts}
    return {a for a in aliases if a in seen}


def claims_after_write(
    existing: Sequence[str], document_id: str, aliases: Iterable[str], used: set[str]
) -> list[str]:
    """The node's ``alias_docs`` once this document (carrying ``aliases``, of which it used
    ``used``) is written."""
    strong: dict[str, set[str]] = {}
    weak: dict[str, set[str]] = {}
    for entry in existing:
        is_strong, doc, alias = _parse(entry)
        (strong if is_strong else weak).setdefault(alias, set()).add(doc)
    for alias in aliases:
        if alias in used:
            strong.setdefault(alias, set()).add(document_id)
        else:
            weak.setdefault(alias, set()).add(document_id)
    out = [f"{doc}|{alias}" for alias, docs in strong.items() for doc in docs]
    out += [
        f"{WEAK}{doc}|{alias}"
        for alias, docs in weak.items()
        if alias not in strong
        for doc in docs
    ]
    return sorted(out)
