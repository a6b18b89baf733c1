"""Finding person names in transcript headers and turn text, and replacing them.

Pure string work, no model: the header tells us who the respondents are, and a few fixed
phrasings ("Ms X", "I'm X", "call me X") give names away. Statistical NER lives in nlp/,
which ingest must not import; the service feeds its PERSON finds back through
``replace_names``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

__all__ = [
    "HONORIFICS",
    "THIRD_PERSON",
    "Edit",
    "header_people",
    "intro_names",
    "looks_like_name",
    "name_variants",
    "replace_names",
    "split_person",
    "strip_names",
    "strip_title",
    "titled_names",
]

THIRD_PERSON = "[name]"

# Honorifics before a person's name (English and Spanish), lower case.
HONORIFICS = frozenset(
    [
        "ms",
        "mr",
        "mrs",
        "miss",
        "mx",
        "madam",
        "dr",
        "prof",
        "sr",
        "sra",
        "srta",
        "señora",
        "señor",
        "doña",
        "lic",
        "ing",
    ]
)
_TITLE = r"(?:Ms|Mr|Mrs|Miss|Mx|Madam|Dr|Prof|Sr|Sra|Srta|Señora|Señor|Doña|Lic|Ing)\.?"
_WORD = r"[A-Z][a-z\u00e0-\u00ff]+(?:[-'][A-Z]?[a-z\u00e0-\u00ff]+)?"
_NAME = rf"{_WORD}(?:\s+(?:de\s+|van\s+|da\s+|del\s+)?{_WORD}){{0,2}}"
_TITLED = re.compile(rf"\b{_TITLE}\s+({_NAME})")
# Phrases in which a speaker names themselves: the name is the speaker's own.
_INTRO = re.compile(
    rf"\b(?:I'm|I am|[Mm]y name is|[Cc]all me|know me as|knows me as|me llamo|soy)\s+({_NAME})"
)
_NUMBERED = re.compile(r"^\s*(?:P|Participant|Participante|R|Respondent)\s*(\d{1,3})\b[\s:.,-]*")
# Words that make a capitalised phrase a role, a group or a body, never a person.
_NOT_A_NAME = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "and",
        "for",
        "in",
        "on",
        "at",
        "to",
        "with",
        "by",
        "from",
        "commander",
        "coordinator",
        "director",
        "officer",
        "chief",
        "head",
        "manager",
        "chair",
        "chairwoman",
        "chairman",
        "secretary",
        "minister",
        "inspector",
        "sergeant",
        "captain",
        "superintendent",
        "councillor",
        "mayor",
        "deputy",
        "worker",
        "caseworker",
        "vendor",
        "vendors",
        "women",
        "men",
        "youth",
        "leader",
        "leaders",
        "member",
        "members",
        "representative",
        "researcher",
        "facilitator",
        "moderator",
        "interviewer",
        "note-taker",
        "field",
        "female",
        "male",
        "ministry",
        "police",
        "service",
        "department",
        "office",
        "agency",
        "council",
        "committee",
        "centre",
        "center",
        "network",
        "association",
        "foundation",
        "trust",
        "fund",
        "programme",
        "program",
        "unit",
        "authority",
        "commission",
        "court",
        "district",
        "city",
        "municipal",
        "national",
        "local",
        "community",
        "church",
        "mosque",
        "school",
        "university",
        "group",
        "market",
        "street",
        "road",
        "station",
        "hospital",
        "clinic",
        "project",
        "initiative",
        "alliance",
        "union",
        "board",
        "ngo",
        "un",
        "government",
        "state",
        "province",
        "county",
        "region",
        # saints name places and institutions ('San Telmo'), not people
        "san",
        "santa",
        "santo",
        "saint",
        "st",
        "province",
        "i",
        "we",
        "they",
        "he",
        "she",
        "you",
        "it",
        "this",
        "that",
        "yes",
        "no",
        "not",
        "well",
        "so",
    ]
)
# Words that follow "I'm" / "I am" and are not names.
_NOT_INTRO = frozenset(
    [
        "sorry",
        "sure",
        "afraid",
        "not",
        "here",
        "there",
        "glad",
        "happy",
        "afraid",
        "just",
        "also",
        "still",
        "only",
        "very",
        "really",
        "from",
        "with",
        "in",
        "at",
        "on",
        "the",
        "a",
        "an",
    ]
)


def looks_like_name(text: str) -> bool:
    """One to four capitalised words, none of them a role, body or function word."""
    words = text.split()
    if not 1 <= len(words) <= 4:
        return False
    for word in words:
        if word.lower() in {"de", "van", "da", "del"}:
            continue
        if not re.fullmatch(_WORD, word) or word.lower() in _NOT_A_NAME:
            return False
    return True


def strip_title(text: str) -> str:
    """'Ms Okafor' -> 'Okafor': the title is not part of the name."""
    return re.sub(rf"^{_TITLE}\s+", "", text.strip())


def split_person(entry: str) -> tuple[str | None, str]:
    """'Jane Doe, Centre Coordinator' -> ('Jane Doe', 'Centre Coordinator').

    The name is the first comma part when it looks like a person's name (capitalised
    words, none of them a role or body word); otherwise there is no name.
    """
    head, sep, rest = entry.partition(",")
    head = re.sub(rf"^{_TITLE}\s+", "", head.strip())
    head = re.sub(r"\s*\([^)]*\)\s*$", "", head)
    if sep and looks_like_name(head):
        return head, rest.strip()
    if not sep and looks_like_name(head) and len(head.split()) >= 2:
        return head, ""
    return None, entry.strip()


def header_people(value: str) -> list[tuple[int | None, str, str]]:
    """Each '(P3) Name, role, org' entry of a header value: (number, name, remainder)."""
    found: list[tuple[int | None, str, str]] = []
    for item in re.split(r"[;\n]", value):
        m = _NUMBERED.match(item)
        number = int(m.group(1)) if m else None
        body = item[m.end() :] if m else item
        name, rest = split_person(body)
        if name:
            found.append((number, name, rest))
    return found


def name_variants(name: str) -> list[str]:
    """The full name, then its surname and first name alone (longest first)."""
    words = [w for w in name.split() if w.lower() not in {"de", "van", "da", "del"}]
    variants = [name]
    if len(words) >= 2:
        variants += [" ".join(words[1:]), words[-1], words[0]]
    return list(dict.fromkeys(v for v in variants if len(v) >= 2))


def titled_names(text: str) -> list[str]:
    """Names after a personal title: 'Ms Okafor' -> ['Okafor']."""
    return [m.group(1) for m in _TITLED.finditer(text) if looks_like_name(m.group(1))]


def intro_names(text: str) -> list[str]:
    """Names a speaker gives for themselves: "I'm Jane Doe", "they know me as Jane"."""
    out = []
    for m in _INTRO.finditer(text):
        name = m.group(1)
        if name.split()[0].lower() not in _NOT_INTRO and looks_like_name(name):
            out.append(name)
    return out


Edit = tuple[int, int, str]  # (start, end, replacement) in the original text


def replace_names(text: str, names: Mapping[str, str]) -> tuple[str, list[Edit]]:
    """Replace every whole-word, case-insensitive occurrence of each name (with any title
    before it) by its pseudonym. Longer names win, so 'Jane Doe' is one replacement."""
    if not names:
        return text, []
    ordered = sorted(names, key=len, reverse=True)
    alternatives = "|".join(re.escape(n) for n in ordered)
    pattern = re.compile(rf"(?:\b{_TITLE}\s+)?(?<![\w-])({alternatives})(?![\w-])", re.IGNORECASE)
    lookup = {n.lower(): p for n, p in names.items()}
    edits: list[Edit] = []
    parts: list[str] = []
    last = 0
    for m in pattern.finditer(text):
        replacement = lookup[m.group(1).lower()]
        edits.append((m.start(), m.end(), replacement))
        parts += [text[last : m.start()], replacement]
        last = m.end()
    parts.append(text[last:])
    return "".join(parts), edits


def strip_names(text: str, names: Iterable[str]) -> str:
    """A header value with the names taken out and its punctuation tidied."""
    out, _ = replace_names(text, {n: "" for n in names})
    out = re.sub(r"\b([Pp]\d{1,3})\s*,\s*", r"\1 ", out)  # 'P1 , caseworker' -> 'P1 caseworker'
    out = re.sub(r"(^|[;\n])\s*,\s*", r"\1 ", out)  # ', Centre Coordinator' -> 'Centre ...'
    out = re.sub(r"\s*,\s*(?=[,;]|$)", "", out)
    return " ".join(out.split()).strip(" ,;")
