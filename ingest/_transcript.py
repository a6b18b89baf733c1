"""Speaker-turn transcripts: recognise one by its content and split it into turns.

Handled layouts, chosen by which one explains the most lines:

- ``LABEL: text`` turns, optionally after a ``[00:03:12]`` timestamp (``Q:``/``A:``,
  ``INTERVIEWER:``, ``SENATOR MURPHY:``, ``P2:``), and stenographic ``Q.``/``A.``;
- blocks between ``---`` lines that open with an upper-case ``NAME, ROLE`` header;
- caption dumps where ``>>`` marks a change of speaker and nobody is named;
- WebVTT and SRT cues (``<v Name>`` or ``Name:`` voices).

Stenographic records with a line number on every line and the page number on its own
line are unwrapped first; the page becomes provenance. A header block above the first
separator line (``Date: ...``, ``Respondent: ...``) is read into fields.

Turn text is rebuilt from the lines: wrapped lines joined by a space, paragraphs by a
blank line. Passage spans are relative to that turn text.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.model import DocumentKind

from ._dates import find_date
from ._header import Line, conversation_start, read_fields
from ._labels import _PARTICLES, LabelHit, find_label_starts
from ._notes import find_note_summary
from ._roles import INTERVIEWER_LABELS, NUMBERED_RESPONDENT, base_label

__all__ = ["Transcript", "Turn", "TurnText", "parse_transcript"]


class TurnText:
    """Text assembled line by line, remembering the page each line came from."""

    __slots__ = ("_marks", "_new_paragraph", "_pages", "_parts", "_size")

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._size = 0
        self._marks: list[int] = []
        self._pages: list[int | None] = []
        self._new_paragraph = False

    def add(self, line: str, page: int | None, *, new_paragraph: bool = False) -> None:
        line = " ".join(line.split())
        if not line:
            self._new_paragraph = True
            return
        if self._size:
            sep = "\n\n" if (new_paragraph or self._new_paragraph) else " "
            self._parts.append(sep)
            self._size += len(sep)
        self._marks.append(self._size)
        self._pages.append(page)
        self._parts.append(line)
        self._size += len(line)
        self._new_paragraph = False

    def paragraph_break(self) -> None:
        self._new_paragraph = True

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def page_at(self, offset: int) -> int | None:
        i = bisect.bisect_right(self._marks, offset) - 1
        return self._pages[max(i, 0)] if self._pages else None

    def __bool__(self) -> bool:
        return self._size > 0


@dataclass(slots=True)
class Turn:
    label: str | None  # the speaker as written, e.g. "SENATOR MURPHY", "P2", "Q"
    details: str | None  # what a NAME, ROLE header says after the name
    text: TurnText = field(default_factory=TurnText)
    attributes: dict[str, str] = field(default_factory=dict)  # gender, age, occupation
    timestamp: str | None = None


@dataclass(slots=True)
class Transcript:
    layout: str
    title: str | None
    fields: dict[str, str]  # header "Key: value" lines, keys lower-cased
    preamble: TurnText
    turns: list[Turn]
    kind: DocumentKind
    date: str | None
    paged: bool
    kind_cue: str = ""  # why ``kind`` was chosen, for the ingest summary
    header_text: str = ""  # the header's lines that are no field (title, sentences)


# --- stenographic unwrapping -------------------------------------------------------------

_STENO_LINE = re.compile(r"^[ \t]{0,10}(\d{1,2})(?=\s|$)")
_PAGE_NUMBER = re.compile(r"^[ \t]{20,}(\d{1,4})[ \t]*$")


def _lines(text: str) -> tuple[list[Line], bool]:
    raw = text.split("\n")
    nonblank = [line for line in raw if line.strip()]
    numbered = sum(1 for line in nonblank if _STENO_LINE.match(line))
    steno = len(nonblank) >= 20 and numbered >= 0.6 * len(nonblank)
    if not steno:
        return [Line(r.rstrip(), None, len(r) - len(r.lstrip())) for r in raw], False
    out: list[Line] = []
    page, feed_pending = 1, False
    for line in raw:
        if "\f" in line:
            feed_pending = True
            line = line.replace("\f", "")
        if m := _PAGE_NUMBER.match(line):
            page, feed_pending = int(m.group(1)), False
            continue
        if m := _STENO_LINE.match(line):
            line = line[m.end() :]
        if not line.strip():
            continue  # blank lines only interleave the numbered ones
        if feed_pending:
            page, feed_pending = page + 1, False
        out.append(Line(line.rstrip(), page, len(line) - len(line.lstrip())))
    return out, True


# --- header ------------------------------------------------------------------------------

_SEPARATOR = re.compile(r"^\s*(?:-{3,}|={3,}|_{3,}|\*{3,}|-{2,}o?O?o?-{2,})\s*$")
_HEADER_SCAN = 60


# --- turn starts -------------------------------------------------------------------------

_TIMESTAMP = r"[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]?"
_LABEL_LINE = re.compile(
    rf"^\s*(?:{_TIMESTAMP}\s*(?:[-–]\s*)?)?"
    r"(?P<label>[^\W\d_][\w .’'()&/-]{0,50}?)\s*:[ \t]+(?P<rest>\S.*)$"
)
_CAPTION = re.compile(r"^\s*>>\s?")
_VOICE = re.compile(r"^<v(?:\.[\w.]+)?\s+([^>]+)>")
_CUE_TIMING = re.compile(r"^\s*(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}\s+-->\s+")


def _label_shape(label: str) -> str | None:
    """'upper', 'title' or None (not a plausible speaker label)."""
    words = label.split()
    if not 1 <= len(words) <= 6:
        return None
    letters = [c for c in label if c.isalpha()]
    if not letters:
        return None
    if all(c.isupper() for c in letters):
        return "upper"
    if words[0][0].isupper() and all(
        w[0].isupper() or w[0].isdigit() or w[0] in "(&" or w.lower() in _PARTICLES for w in words
    ):
        return "title"
    return None


def _is_speaker_header(text: str) -> bool:
    text = text.strip()
    letters = [c for c in text if c.isalpha()]
    if not letters or len(text) > 160 or text.endswith("."):
        return False
    return sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _block_turn_starts(lines: list[Line], opens_with_block: bool) -> dict[int, tuple[str, str]]:
    """Line index of each speaker header that follows a separator line."""
    starts: dict[int, tuple[str, str]] = {}
    after_separator = opens_with_block
    blocks = 0
    for i, line in enumerate(lines):
        if line.blank:
            continue
        if _SEPARATOR.match(line.text):
            after_separator = True
            continue
        if after_separator:
            blocks += 1
            if _is_speaker_header(line.text):
                starts[i] = (line.text.strip(), "")
        after_separator = False
    return starts if blocks and len(starts) >= 0.7 * blocks else {}


# --- kind ----------------------------------------------------------------------------------

_KIND_CUES: tuple[tuple[DocumentKind, re.Pattern[str]], ...] = (
    (
        DocumentKind.kii,
        re.compile(
            r"\bKII(?:\b|[-_ ]?\d)|key[- ]informant|in-depth interview|entrevista (?:a|con) (?:informante|actor)"
            r"|\bentrevista semiestructurada",
            re.IGNORECASE,
        ),
    ),
    (
        DocumentKind.fgd,
        re.compile(
            r"\bFGD(?:\b|[-_ ]?\d)|focus[- ]group|grupo focal|grupos focales", re.IGNORECASE
        ),
    ),
    (
        DocumentKind.hearing,
        re.compile(
            r"\bhearings?\b|audiencia|estenogr[áa]fic|stenograph|testimony|\bpresiding\b"
            r"|record of proceedings|comparecencia",
            re.IGNORECASE,
        ),
    ),
    (
        DocumentKind.meeting,
        re.compile(
            r"\bmeeting\b|\bcommittee\b|\bcouncil\b|\bsesi[óo]n\b|\breuni[óo]n\b|consultation"
            r"|\bconsulta\b|\bminutes\b|\bacta\b|town hall",
            re.IGNORECASE,
        ),
    ),
)
_KIND_HEAD_CHARS = 3000


def _guess_kind(texts: list[str], labels: list[str | None]) -> tuple[DocumentKind, str]:
    """The kind and the cue that decided it.

    Structure first: a moderator with several numbered participants is a focus group
    whatever its title says, so a header word ("report", "testimony") cannot turn an FGD
    into a record whose speakers keep their names. Otherwise the earliest kind word in the
    first text that has one wins: titles name what a record is.
    """
    bases = {base_label(label) for label in labels if label}
    numbered = sorted(b for b in bases if NUMBERED_RESPONDENT.match(b))
    asks = sorted(bases & INTERVIEWER_LABELS)
    if asks and len(numbered) >= 2:
        return DocumentKind.fgd, f"labels: {asks[0]} + {len(numbered)} numbered participants"
    for text in texts:
        hits = [
            (m.start(), kind, m.group(0)) for kind, pat in _KIND_CUES if (m := pat.search(text))
        ]
        if hits:
            _, kind, word = min(hits, key=lambda h: h[0])
            return kind, f"header word '{word}'"
    if len(numbered) > 3:
        return DocumentKind.fgd, f"labels: {len(numbered)} numbered participants"
    if asks:
        return DocumentKind.kii, f"labels: {asks[0]} + one respondent"
    return DocumentKind.meeting, "speaker turns, no kind word"


# --- WebVTT / SRT -------------------------------------------------------------------------

_TAG = re.compile(r"<[^>]+>")


def _parse_cues(text: str) -> list[Turn] | None:
    body = text.lstrip("\ufeff")
    is_vtt = body.startswith("WEBVTT")
    blocks = re.split(r"\n\s*\n", body)
    cues: list[tuple[str | None, str]] = []
    for block in blocks:
        lines = [line for line in block.split("\n") if line.strip()]
        timing = next((i for i, line in enumerate(lines) if _CUE_TIMING.match(line)), None)
        if timing is None:
            continue  # WEBVTT header, NOTE, STYLE or REGION blocks
        speaker: str | None = None
        parts: list[str] = []
        for line in lines[timing + 1 :]:
            if m := _VOICE.match(line):
                speaker = m.group(1).strip()
            line = _TAG.sub("", line).strip()
            if m := _LABEL_LINE.match(line):
                label = " ".join(m.group("label").split())
                if _label_shape(label):
                    speaker, line = label, m.group("rest")
            parts.append(line)
        if parts:
            cues.append((speaker, " ".join(parts)))
    if len(cues) < 2 and not (is_vtt and cues):
        return None
    turns: list[Turn] = []
    for speaker, cue_text in cues:
        change = cue_text.startswith(("- ", ">>"))
        cue_text = cue_text.lstrip("->").strip()
        if not turns or change or (speaker is not None and speaker != turns[-1].label):
            turns.append(Turn(speaker, None))
        elif speaker is None and turns[-1].label is not None:
            turns.append(Turn(None, None))
        turns[-1].text.add(cue_text, None)
    return turns


# --- parse ---------------------------------------------------------------------------------

_BRACKET_NOTE = re.compile(r"^\s*\[[^\]]*\]\s*$")
_MIN_TURNS = 3


def _first_line(lines: list[str]) -> str | None:
    for line in lines:
        if line.strip():
            return " ".join(line.split())[:200]
    return None


def _turn_text(text: str) -> TurnText:
    out = TurnText()
    for line in text.split("\n"):
        if line.strip():
            out.add(line, None)
        else:
            out.paragraph_break()
    return out


def _note_transcript(text: str) -> Transcript | None:
    """A third-person interview summary as one turn: the respondent's account."""
    summary = find_note_summary(text)
    if summary is None:
        return None
    account = Turn("Respondent", None, _turn_text(summary.account))
    cue = f"third-person notes: {summary.statements} paragraphs report the respondent"
    head = summary.preamble[:_KIND_HEAD_CHARS]
    return Transcript(
        "notes",
        _first_line(head.split("\n")),
        {},
        _turn_text(summary.preamble),
        [account],
        DocumentKind.kii,
        find_date(head) or find_date(text[:_KIND_HEAD_CHARS]),
        False,
        cue,
    )


def parse_transcript(text: str) -> Transcript | None:
    """The transcript in ``text``, or None when it does not read as one."""
    return _parse_turns(text) or _note_transcript(text)


def _parse_turns(text: str) -> Transcript | None:
    head = text[:_KIND_HEAD_CHARS]
    top_lines = text.split("\n", 400)[:400]
    if text.lstrip("\ufeff").startswith("WEBVTT") or (
        sum(1 for line in top_lines if _CUE_TIMING.match(line)) >= _MIN_TURNS
    ):
        cues = _parse_cues(text)
        if cues:
            kind, cue = _guess_kind([head], [t.label for t in cues])
            return Transcript("cues", None, {}, TurnText(), cues, kind, find_date(head), False, cue)

    lines, paged = _lines(text)
    fields: dict[str, str] = {}
    title_lines: list[str] = []
    body_start, opens_with_block = 0, False
    if not paged:
        sep = next(
            (i for i, line in enumerate(lines[:_HEADER_SCAN]) if _SEPARATOR.match(line.text)), None
        )
        if sep is not None:
            fields, title_lines, _ = read_fields(lines[:sep])
            body_start, opens_with_block = sep + 1, True
    body = lines[body_start:]

    letters = [c for line in body[:2000] for c in line.text if c.isalpha()]
    mostly_upper = bool(letters) and sum(c.isupper() for c in letters) > 0.8 * len(letters)
    hits: dict[int, LabelHit] = find_label_starts([line.text for line in body], mostly_upper)
    header_lines: set[int] = set()
    header_loose: list[str] = []
    if not paged and (talk := conversation_start(hits)):
        # Labels above the conversation speak once: they are the header's fields.
        above = {i: h for i, h in hits.items() if i < talk}
        head_fields, header_loose, header_lines = read_fields(body[:talk], above)
        for key, value in head_fields.items():
            fields.setdefault(key, value)
        hits = {i: h for i, h in hits.items() if i >= talk}
    layouts: dict[str, dict[int, tuple[str, str]]] = {
        "labels": {i: (h.label, h.rest) for i, h in hits.items()},
        "blocks": _block_turn_starts(body, opens_with_block),
        "captions": {
            i: ("", _CAPTION.sub("", line.text, count=1))
            for i, line in enumerate(body)
            if _CAPTION.match(line.text)
        },
    }
    layout, starts = max(layouts.items(), key=lambda item: len(item[1]))
    if len(starts) < _MIN_TURNS:
        return None
    nonblank = [i for i, line in enumerate(body) if not line.blank and i not in header_lines]
    first = min(starts)
    # Turns must carry most of the text; a report with a few "Note:" lines is no transcript.
    if sum(1 for i in nonblank if i >= first) < 0.5 * len(nonblank):
        return None
    if layout == "labels" and len({label for label, _ in starts.values()}) < 2:
        return None

    preamble = TurnText()
    turns: list[Turn] = []
    # Wrapped lines share the most common indent; a deeper one opens a paragraph.
    indents = Counter(line.indent for line in body if not line.blank)
    base_indent = indents.most_common(1)[0][0] if indents else 0
    current: TurnText = preamble
    prev_line: Line | None = None
    for i, line in enumerate(body):
        if i in starts:
            label, rest = starts[i]
            if layout == "captions":
                turns.append(Turn(None, None))
            elif layout == "blocks":
                name, _, details = label.partition(",")
                turns.append(Turn(name.strip(), details.strip() or None))
                rest = ""
            else:
                hit = hits[i]
                turns.append(Turn(label, None, attributes=hit.attributes, timestamp=hit.timestamp))
            current = turns[-1].text
            current.add(rest, line.page)
            prev_line = line
            continue
        if line.blank:
            current.paragraph_break()
            continue
        if layout == "labels" and i in header_lines:
            continue
        if _SEPARATOR.match(line.text) or _BRACKET_NOTE.match(line.text):
            if not (current is preamble and not turns):
                current.paragraph_break()
            continue
        if paged:
            # Stenographic paragraphs open with a deeper indent than wrapped lines.
            new_paragraph = line.indent >= base_indent + 4 and prev_line is not None
        else:
            new_paragraph = prev_line is not None and prev_line.text.rstrip()[-1:] in '.!?…:"”»)'
        current.add(line.text, line.page, new_paragraph=new_paragraph)
        prev_line = line

    if current is preamble and not turns:
        return None
    title = _first_line(title_lines) or _first_line(preamble.text.split("\n"))
    date_source = next((v for k, v in fields.items() if "date" in k or "fecha" in k), "")
    date = (
        find_date(date_source)
        or find_date(" ".join(title_lines))
        or find_date(preamble.text[:_KIND_HEAD_CHARS])
    )
    kind_text = "\n".join([*title_lines, *fields.values(), preamble.text[:_KIND_HEAD_CHARS]])
    kind, cue = _guess_kind([kind_text, head], [t.label for t in turns])
    header_text = "\n".join([*title_lines, *header_loose])
    return Transcript(layout, title, fields, preamble, turns, kind, date, paged, cue, header_text)
