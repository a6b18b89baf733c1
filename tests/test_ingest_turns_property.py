"""Speaker turns come back from label styles nobody listed (issue 10.1/10.2, property-based).

Each example invents a label style - codes (``KX7``), names (``Veluna Tarsk``) or role
words (``VOCERA``), optionally with bracketed attributes and a timestamp before or after,
ending with ``:``, ``.-``, `` -``, ``—`` or a line break - renders random turns in it, with
wrapped lines, and checks the parser recovers every turn's speaker, text, attributes and
timestamp. A label alone on its line carries a timestamp (Otter, Rev): without one, a short
capitalised line over a paragraph is a heading, and the generator does not pretend otherwise.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest._labels import _NOT_SPEAKERS, _PARTICLES
from ingest._transcript import parse_transcript

_RESERVED = _NOT_SPEAKERS | _PARTICLES

_lower_word = st.text(string.ascii_lowercase, min_size=2, max_size=9)
_title_word = _lower_word.filter(lambda w: w not in _RESERVED).map(str.capitalize)
_upper_word = _lower_word.filter(lambda w: w not in _RESERVED).map(str.upper)


@st.composite
def _code(draw: st.DrawFn) -> str:
    letters = draw(st.text(string.ascii_uppercase, min_size=1, max_size=3))
    return letters + str(draw(st.integers(1, 99)))


_LABEL_KINDS = {
    "code": _code(),
    "name": st.lists(_title_word, min_size=1, max_size=3).map(" ".join),
    "role": st.lists(_upper_word, min_size=1, max_size=2).map(" ".join),
}
_SEPARATORS = [":", ".-", " -", " —", "\n"]
_GENDERS = ["F", "M", "female", "male", "mujer", "hombre"]


@dataclass(frozen=True)
class Style:
    separator: str
    timestamp: (
        str  # "none", "before" ([00:01:12] P1:), "after" (P1 00:01:12), "paren" (P1 (00:01:12))
    )
    blank_between: bool
    title: str | None


@dataclass(frozen=True)
class Speaker:
    label: str
    attributes: dict[str, str]  # what the parser must read out of the brackets

    def attribute_text(self) -> str:
        a = self.attributes
        parts = [a.get("gender_text", ""), a.get("age", ""), a.get("occupation", "")]
        return ", ".join(p for p in parts if p)


@st.composite
def _speakers(draw: st.DrawFn) -> list[Speaker]:
    kind = draw(st.sampled_from(sorted(_LABEL_KINDS)))
    labels = draw(
        st.lists(_LABEL_KINDS[kind], min_size=2, max_size=5, unique_by=str.lower).filter(
            lambda ls: all(len(lab) <= 30 for lab in ls)
        )
    )
    with_attributes = draw(st.booleans())
    speakers = []
    for label in labels:
        attributes: dict[str, str] = {}
        if with_attributes:
            gender = draw(st.sampled_from(_GENDERS))
            attributes = {
                "gender_text": gender,
                "age": f"{draw(st.integers(2, 7))}0s",
                "occupation": draw(_lower_word.filter(lambda w: w not in _RESERVED)),
            }
        speakers.append(Speaker(label, attributes))
    return speakers


@st.composite
def _style(draw: st.DrawFn) -> Style:
    separator = draw(st.sampled_from(_SEPARATORS))
    stamps = ["after", "paren"] if separator == "\n" else ["none", "before", "after", "paren"]
    title = draw(st.none() | st.just("Transcript of the discussion held at the community hall"))
    return Style(separator, draw(st.sampled_from(stamps)), draw(st.booleans()), title)


@st.composite
def _sentence(draw: st.DrawFn) -> str:
    words = draw(st.lists(_lower_word, min_size=3, max_size=14))
    return words[0].capitalize() + " " + " ".join(words[1:]) + draw(st.sampled_from(".?"))


@st.composite
def _conversation(draw: st.DrawFn) -> tuple[list[Speaker], list[tuple[int, str, list[str]]]]:
    """Speakers and their turns: (speaker index, timestamp, lines of the turn text)."""
    speakers = draw(_speakers())
    # Speakers alternate (the detector relies on it) and everyone speaks at least twice:
    # two rounds in a drawn order, then up to 20 more turns, never the same speaker twice in
    # a row. (A capped random walk left a speaker with one turn; the detector now reads a
    # once-speaking code among codes, tested on its own below, but not a once-speaking name.)
    first = draw(st.permutations(range(len(speakers))))
    order = [*first, *first]
    for _ in range(draw(st.integers(0, 20))):
        order.append(draw(st.sampled_from([i for i in range(len(speakers)) if i != order[-1]])))
    turns = []
    for n, who in enumerate(order):
        sentences = draw(st.lists(_sentence(), min_size=1, max_size=3))
        words = " ".join(sentences).split()
        width = draw(st.integers(4, 12))  # wrapped lines start lower-case or mid-sentence
        lines = [" ".join(words[i : i + width]) for i in range(0, len(words), width)]
        turns.append((who, f"00:{n // 60:02d}:{n % 60:02d}", lines))
    return speakers, turns


def _render(style: Style, speakers: list[Speaker], turns: list) -> str:  # type: ignore[type-arg]
    out: list[str] = [style.title, ""] if style.title else []
    for who, stamp, lines in turns:
        speaker = speakers[who]
        label = speaker.label
        if speaker.attributes:
            label += f" ({speaker.attribute_text()})"
        if style.timestamp == "before":
            label = f"[{stamp}] {label}"
        elif style.timestamp == "after":
            label = f"{label}  {stamp}"
        elif style.timestamp == "paren":
            label = f"{label} ({stamp})"
        if style.separator == "\n":
            out += [label, *lines]
        else:
            sep = style.separator if style.separator != ":" else ":"
            out += [f"{label}{sep} {lines[0]}", *lines[1:]]
        if style.blank_between:
            out.append("")
    return "\n".join(out) + "\n"


_GENDER_READ = {"f": "female", "female": "female", "mujer": "female"}


# derandomize: CI runs the same examples every time (a failure is a bug to keep, not luck)
@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(style=_style(), conversation=_conversation())
def test_ingest_turns_property_unlisted_label_styles_round_trip(style: Style, conversation) -> None:  # type: ignore[no-untyped-def]
    speakers, turns = conversation
    text = _render(style, speakers, turns)
    parsed = parse_transcript(text)
    assert parsed is not None, text
    got = [(t.label, t.text.text.replace("\n\n", " ")) for t in parsed.turns]
    expected = [(who, stamp, " ".join(lines)) for who, stamp, lines in turns]
    assert got == [(speakers[who].label, body) for who, _, body in expected], text
    for turn, (who, stamp, _) in zip(parsed.turns, expected, strict=True):
        if style.timestamp != "none":
            assert turn.timestamp == stamp, text
        attrs = speakers[who].attributes
        if attrs:
            gender = _GENDER_READ.get(attrs["gender_text"].lower(), "male")
            assert turn.attributes == {
                "gender": gender,
                "age": attrs["age"],
                "occupation": attrs["occupation"],
            }, text


@st.composite
def _policy_prose(draw: st.DrawFn) -> str:
    paragraphs = [
        " ".join(draw(st.lists(_sentence(), min_size=3, max_size=6)))
        for _ in range(draw(st.integers(2, 6)))
    ]
    notes = draw(st.lists(_sentence(), min_size=1, max_size=3))
    for note in notes:
        at = draw(st.integers(0, len(paragraphs)))
        paragraphs.insert(at, f"{draw(st.sampled_from(['Note', 'NOTE', 'Nota']))}: {note}")
    title = draw(st.lists(_title_word, min_size=2, max_size=5).map(" ".join))
    return title + "\n\n" + "\n\n".join(paragraphs) + "\n"


@settings(max_examples=100, deadline=None, derandomize=True)
@given(text=_policy_prose())
def test_ingest_turns_property_policy_prose_with_notes_has_no_turns(text: str) -> None:
    assert parse_transcript(text) is None, text


def test_ingest_turns_a_code_speaking_once_among_recurring_codes_is_a_speaker() -> None:
    text = "\n\n".join(
        [
            "QZ64.- We met the council twice this year.",
            "BJ08.- Nobody from the county has ever come here.",
            "QZ64.- The police came once, after the fire.",
            "FOY36.- I only joined the group in May.",
            "BJ08.- The youth office never answers our letters.",
        ]
    )
    parsed = parse_transcript(text)
    assert parsed is not None
    assert [t.label for t in parsed.turns] == ["QZ64", "BJ08", "QZ64", "FOY36", "BJ08"]
