"""Speaker labels found from a text's own regularities, not from a list of known formats.

A label is a short prefix at the start of a line - a name, role or code, optionally with
bracketed attributes and a timestamp before or after it - that ends with a separator
(``:``, ``.-``, `` -``, ``—``, a ``.`` after a short code, or the end of the line with the
speech on the next line). One occurrence proves nothing; a prefix counts when the same
label recurs in the document and the labels alternate between speakers.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

__all__ = ["LabelHit", "find_label_starts", "parse_attributes"]

_TS = r"[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]?"

# A "." or "-" inside a label word must go on ("Dr. Smith", "Jean-Luc"): "A1.-" is "A1"
# and its separator, never a longer label that regex backtracking would find first.
_LABEL_CHAR = r"(?:[\w’'&/]|[.-](?=[\w \t]))"


def _prefix(separators: str) -> re.Pattern[str]:
    return re.compile(
        rf"^\s*(?:(?P<ts1>{_TS})\s*(?:[-–]\s*)?)?"
        rf"(?P<label>[^\W\d_]{_LABEL_CHAR}*(?:[ \t]{_LABEL_CHAR}+){{0,5}}?)"
        r"(?:[ \t]*\((?P<attrs>[^()\n]{1,80})\))?"
        rf"(?:[ \t]+(?P<ts2>{_TS}))?"
        rf"[ \t]*(?P<sep>{separators})[ \t]*(?P<rest>.*)$"
    )


# A separator in the line is tried before the end of the line: otherwise the label would
# swallow "A1.- text" whole and fail its shape test.
_PREFIX = _prefix(r":|\.-|[ \t]-[ \t]|—|\.(?=[ \t])")
_PREFIX_ALONE = _prefix("$")
# "Q. text" / "R. text" / "P1. text": tried first, as the long form would swallow the "."
_CODE_DOT = re.compile(r"^\s*(?P<label>[A-Z][A-Za-z0-9]{0,3})\.[ \t]+(?P<rest>\S.*)$")
_TS_ONLY = re.compile(rf"^{_TS}$")
_PARTICLES = frozenset(
    [
        "de",
        "del",
        "la",
        "las",
        "los",
        "y",
        "van",
        "von",
        "der",
        "den",
        "da",
        "di",
        "du",
        "le",
        "of",
        "the",
        "and",
    ]
)
# Words that open "KEY: value" lines in documents, never a speaker.
_NOT_SPEAKERS = frozenset(
    [
        "note",
        "nota",
        "notes",
        "source",
        "fuente",
        "date",
        "fecha",
        "time",
        "hora",
        "page",
        "subject",
        "asunto",
        "re",
        "to",
        "cc",
        "from",
        "ref",
        "tel",
        "fax",
        "email",
        "url",
        "web",
        "http",
        "https",
        "summary",
        "keywords",
        "speakers",
    ]
)
_GENDER = {
    "f": "female",
    "female": "female",
    "woman": "female",
    "w": "female",
    "mujer": "female",
    "femenino": "female",
    "m": "male",
    "male": "male",
    "man": "male",
    "hombre": "male",
    "masculino": "male",
    "varón": "male",
}
_AGE = re.compile(
    r"^(?:(?:early|mid|late)[- ]?)?\d{1,2}0?s$|^\d{1,3}(?:\s*(?:años|years?(?: old)?|yrs?))?$"
    r"|^\d{2}\s*[-–]\s*\d{2}(?:\s*años)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class LabelHit:
    label: str  # the speaker as written, without parsed attributes and timestamps
    rest: str  # speech on the label's own line ("" when it starts on the next line)
    timestamp: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    separator: str = ""  # ":", ".-", "-", "—", "." or "" (speech on the next line)


def parse_attributes(text: str) -> dict[str, str] | None:
    """'F, 60s, vendor' -> gender, age, occupation; None when it reads as no attributes."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    found: dict[str, str] = {}
    rest: list[str] = []
    for part in parts:
        low = part.lower()
        if low in _GENDER and "gender" not in found:
            found["gender"] = _GENDER[low]
        elif _AGE.match(part) and "age" not in found:
            found["age"] = part
        else:
            rest.append(part)
    if not found and len(parts) < 2:
        return None  # "INTERVIEWER (AB)": initials belong to the label
    if rest:
        found["occupation"] = ", ".join(rest)
    return found


def _shape_ok(label: str) -> bool:
    words = label.split()
    if not 1 <= len(words) <= 6 or len(label) > 40:
        return False
    return words[0][0].isupper() and all(
        w[0].isupper() or w[0].isdigit() or w.lower() in _PARTICLES for w in words
    )


def _hit(line: str) -> tuple[LabelHit, str, str] | None:
    """(hit, separator, key) of a line that opens with a label-shaped prefix."""
    if c := _CODE_DOT.match(line):
        label = c.group("label")
        return LabelHit(label, c.group("rest").strip(), separator="."), ".", label.lower()
    alone = _PREFIX_ALONE.match(line)
    timed = alone and (
        alone.group("ts1")
        or alone.group("ts2")
        or _TS_ONLY.match((alone.group("attrs") or "").strip())
    )
    if alone and timed and _shape_ok(alone.group("label")):
        m: re.Match[str] | None = alone  # "Speaker 1  0:03": the time's ":" is no separator
    else:
        m = _PREFIX.match(line)
        if not m or not _shape_ok(" ".join(m.group("label").split())):
            m = alone
    if not m:
        return None
    label = " ".join(m.group("label").split())
    sep = m.group("sep").strip() or ("." if m.group("sep") == "." else m.group("sep"))
    if not _shape_ok(label) or label.lower().rstrip(".") in _NOT_SPEAKERS:
        return None
    if sep == "." and (len(label) > 4 or " " in label):
        return None  # "Q." / "R." / "P1." only: a longer word before "." ends a sentence
    attrs_text = m.group("attrs")
    timestamp = m.group("ts1") or m.group("ts2")
    attributes: dict[str, str] = {}
    if attrs_text:
        if _TS_ONLY.match(attrs_text.strip()) and not timestamp:
            timestamp = attrs_text.strip()
        elif (parsed := parse_attributes(attrs_text)) is not None:
            attributes = parsed
        else:
            label = f"{label} ({attrs_text.strip()})"
    if timestamp:
        timestamp = timestamp.strip("[]()")
    rest = m.group("rest").strip()
    if sep == "" and (rest or not timestamp):
        return None  # a bare line alone is a heading; Otter-style labels carry a time
    key = " ".join(label.lower().split())
    return LabelHit(label, rest, timestamp, attributes, sep), sep, key


def _code_shape(key: str) -> str:
    """A label's shape: runs of digits as "#", runs of letters as "a" ("qz64" -> "a#")."""
    return re.sub(r"[^\W\d_]+", "a", re.sub(r"\d+", "#", key))


def _labels_next(line: str) -> bool:
    """The line after a lone label opens another turn, rather than being its speech. A
    short "Okay." / "Yes." opening the speech reads like a "Q." code, but a code label
    never follows another label on the next line."""
    hit = _hit(line)
    return hit is not None and not (hit[1] == "." and hit[0].rest)


def find_label_starts(lines: list[str], mostly_upper: bool) -> dict[int, LabelHit]:
    """Line index -> label of each turn start the document's regularities support."""
    found: dict[int, tuple[LabelHit, str, str]] = {}
    for i, line in enumerate(lines):
        if not line.strip() or (hit := _hit(line)) is None:
            continue
        label_hit, sep, _ = hit
        if not label_hit.rest:
            if sep != "" and not label_hit.timestamp:
                continue  # "PRESENT:" over a list; Rev-style labels alone carry a time
            # A label alone on its line: the speech must follow on the next line.
            nxt = next((ln for ln in lines[i + 1 : i + 3] if ln.strip()), "")
            if not nxt or _labels_next(nxt):
                continue
        elif not (mostly_upper or any(c.islower() for c in label_hit.rest)):
            continue  # speech has lower-case letters; "SPEAKERS:   PAGE" does not
        found[i] = hit
    counts = Counter(key for _, _, key in found.values())
    # "Participante 3" speaking once is still a speaker when "Participante N" recurs, and so
    # is "FOY36" among "QZ64"/"BJ08" codes: the shape of a coded label is its runs of letters
    # and digits ("a #", "a#"), so one code of the document's kind counts once it recurs.
    shapes = Counter(_code_shape(key) for _, _, key in found.values())
    for _, _, key in found.values():
        shape = _code_shape(key)
        if "#" in shape and shapes[shape] >= 2:
            counts[key] = max(counts[key], 2)
    seps = Counter(sep for _, sep, key in found.values() if counts[key] >= 2)
    if not seps:
        return {}
    starts: dict[int, LabelHit] = {}
    for i, (label_hit, sep, key) in found.items():
        recurring = counts[key] >= 2 and seps[sep] >= 3
        # A capitalised NAME: line is a speaker even once, when the record's labels use ':'.
        once_upper = sep == ":" and label_hit.label.isupper() and seps[":"] >= 3
        if recurring or once_upper:
            starts[i] = label_hit
    keys = [" ".join(h.label.lower().split()) for _, h in sorted(starts.items())]
    if len(set(keys)) < 2 or len(set(keys)) == len(keys):
        return {}  # a conversation has a speaker who speaks again; "Question 1: ..." lists do not
    changes = sum(1 for a, b in pairwise(keys) if a != b)
    # Speakers alternate; a list of "Item: ..." lines under one heading does not.
    if len(keys) > 2 and changes < 0.3 * (len(keys) - 1):
        return {}
    return starts
