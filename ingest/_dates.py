"""Find the first calendar date in a piece of text (English or Spanish) as an ISO string."""

from __future__ import annotations

import re
from datetime import date

__all__ = ["find_date"]

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan", "enero"),
            ("february", "feb", "febrero"),
            ("march", "mar", "marzo"),
            ("april", "apr", "abril"),
            ("may", "mayo"),
            ("june", "jun", "junio"),
            ("july", "jul", "julio"),
            ("august", "aug", "agosto"),
            ("september", "sep", "sept", "septiembre", "setiembre"),
            ("october", "oct", "octubre"),
            ("november", "nov", "noviembre"),
            ("december", "dec", "diciembre"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_PATTERNS = (
    # 2024-10-14
    (re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b"), False),
    # 14 October 2024, 18 de diciembre de 2019
    (
        re.compile(
            rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th|º)?\s+(?:de\s+)?(?P<mon>{_MONTH})\.?,?\s+"
            rf"(?:de(?:l)?\s+)?(?P<y>\d{{4}})\b",
            re.IGNORECASE,
        ),
        True,
    ),
    # February 23, 2016
    (
        re.compile(
            rf"\b(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b",
            re.IGNORECASE,
        ),
        True,
    ),
)


def find_date(text: str) -> str | None:
    """The earliest valid date in ``text``, as YYYY-MM-DD."""
    found: list[tuple[int, str]] = []
    for pattern, named_month in _PATTERNS:
        for m in pattern.finditer(text):
            month = _MONTHS[m.group("mon").lower()] if named_month else int(m.group("m"))
            try:
                value = date(int(m.group("y")), month, int(m.group("d")))
            except ValueError:
                continue
            found.append((m.start(), value.isoformat()))
            break
    return min(found)[1] if found else None
