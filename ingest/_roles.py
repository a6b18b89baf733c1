"""Who asks and who answers: speaker roles from the labels, else from how each speaker talks.

A label that names its role (``INTERVIEWER``, ``Moderadora``, ``Q``, ``P3``) decides it.
Transcription services label everyone alike (Otter's ``Speaker 1``, Rev's ``Speaker 2``),
and interviews labelled by name say nothing either; there the interviewer is found from
the conversation itself, by a documented score per speaker:

    asking(speaker) = share of the speaker's turns that end in a question
                      + 0.2 * (1 - median turn words / longest median turn words)
                      + 0.1 * (speaks first)

The speaker with the highest score is the interviewer when it leads the next one by at
least ``_MIN_LEAD``; otherwise nobody is (a tie is no evidence, and a wrong interviewer
would take a respondent's words out of the findings). Weights are deliberately simple:
questions carry the decision, length and opening only break near-ties.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict

from ingest.model import DocumentKind, SpeakerRole

__all__ = [
    "INTERVIEWER_LABELS",
    "NUMBERED_RESPONDENT",
    "asking_speaker",
    "base_label",
    "role_for_label",
    "speaker_roles",
]

INTERVIEWER_LABELS = frozenset(
    [
        "q",
        "question",
        "interviewer",
        "int",
        "i",
        "facilitator",
        "co-facilitator",
        "cofacilitator",
        "moderator",
        "moderador",
        "moderadora",
        "entrevistador",
        "entrevistadora",
        "facilitador",
        "facilitadora",
        "pregunta",
        "researcher",
        "investigador",
        "investigadora",
    ]
)
_RESPONDENT_LABELS = frozenset(
    [
        "a",
        "answer",
        "respondent",
        "r",
        "interviewee",
        "participant",
        "informant",
        "key",
        "kii",
        "respuesta",
        "entrevistado",
        "entrevistada",
        "participante",
        "informante",
    ]
)
NUMBERED_RESPONDENT = re.compile(
    r"^(?:p|r|participant|participante|respondent|resp|informant|informante)\s*[-#]?\s*(\d{1,3})$",
    re.IGNORECASE,
)
_INTERVIEW_KINDS = (DocumentKind.kii, DocumentKind.fgd)
_MIN_LEAD = 0.15
_ENDS_WITH_QUESTION = re.compile(r"\?[\s\"'”»)\]]*$")


def base_label(label: str) -> str:
    """'INTERVIEWER (RT)' -> 'interviewer': the label without notes, lower-cased."""
    return " ".join(re.sub(r"\([^)]*\)", " ", label).split()).lower()


def _named_role(label: str) -> SpeakerRole | None:
    base = base_label(label)
    if base in INTERVIEWER_LABELS:
        return SpeakerRole.interviewer
    if base in _RESPONDENT_LABELS or NUMBERED_RESPONDENT.match(base):
        return SpeakerRole.respondent
    return None


def role_for_label(label: str | None, kind: DocumentKind) -> SpeakerRole:
    """The role a label names; unnamed ones answer in interviews and speak officially else."""
    if label is None:
        return SpeakerRole.unknown
    named = _named_role(label)
    if named is not None:
        return named
    return SpeakerRole.respondent if kind in _INTERVIEW_KINDS else SpeakerRole.official


def _asking_scores(turns: list[tuple[str, str]]) -> dict[str, float]:
    questions: dict[str, list[bool]] = defaultdict(list)
    words: dict[str, list[int]] = defaultdict(list)
    for label, text in turns:
        questions[label].append(bool(_ENDS_WITH_QUESTION.search(text)))
        words[label].append(len(text.split()))
    medians = {label: statistics.median(counts) for label, counts in words.items()}
    longest = max(medians.values()) or 1
    first = turns[0][0]
    return {
        label: sum(asked) / len(asked)
        + 0.2 * (1 - medians[label] / longest)
        + 0.1 * (label == first)
        for label, asked in questions.items()
    }


def asking_speaker(turns: list[tuple[str, str]]) -> str | None:
    """The label that clearly asks the questions in (label, text) turns, if one does."""
    scores = _asking_scores(turns) if turns else {}
    if len(scores) < 2:
        return None
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, runner_up) = ranked[0], ranked[1]
    return best if top - runner_up >= _MIN_LEAD else None


def speaker_roles(
    turns: list[tuple[str | None, str]], kind: DocumentKind
) -> dict[str, SpeakerRole]:
    """Label -> role for every labelled turn of a transcript of ``kind``.

    When an interview's labels name no interviewer, the speaker that clearly asks is one.
    """
    labelled = [(label, text) for label, text in turns if label is not None]
    roles = {label: role_for_label(label, kind) for label, _ in labelled}
    if kind not in _INTERVIEW_KINDS or SpeakerRole.interviewer in roles.values():
        return roles
    unnamed = [(label, text) for label, text in labelled if _named_role(label) is None]
    if (asker := asking_speaker(unnamed)) is not None:
        roles[asker] = SpeakerRole.interviewer
    return roles
