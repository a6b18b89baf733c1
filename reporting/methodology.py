"""Plain-language account of the gap kinds and their scores, for the report's methodology.

Written for the report reader from docs/gaps.md (the technical contract); when a rule or
score changes there, this text changes with it.
"""

from __future__ import annotations

from .model import MethodItem

__all__ = ["INTRO", "METHODS", "kind_title"]

INTRO: tuple[str, ...] = (
    "The documents and transcripts were read into a knowledge graph of actors, policies and "
    "programmes, and of the relations between them. Every relation keeps the passages that "
    "support it: the document, the page (or speaker turn in a transcript) and the exact words. "
    "The findings below are computed from that graph only; every quote in this report is one "
    "of those stored passages.",
    "Two actors count as linked when any source shows a partnership, coordination, funding, "
    "an agreement or memorandum, a seat on the same body, or one tasking the other. People "
    "are counted with the organisation they belong to. A pair that is linked anywhere is "
    "never reported as a gap, even if another source says they do not work together.",
    "An actor's activity on a theme grows with the number of independent passages that show "
    "it: one passage gives 0.5, two give 0.75, three 0.875 (each passage halves the remaining "
    "doubt). Gaps between well-connected actors score higher than gaps between peripheral "
    "ones. When a source says explicitly that two actors do not coordinate, the score rises "
    "and the statement is quoted.",
    "Scores run from 0 to 1. Findings below 0.3 are left out: below that level a finding "
    "rests on less than one passage per actor. Page references are to the document's pages; "
    "in transcripts, turns are counted from 1; where a document has neither, the paragraph "
    "(passage) number is given.",
)

METHODS: tuple[MethodItem, ...] = (
    MethodItem(
        "shared_mandate_no_link",
        "Shared mandate, no link",
        "Two organisations are both active on the same theme, yet no source links them: no "
        "partnership, agreement, funding, shared coordination body or joint programme.",
        "Higher when both actors are clearly active (several passages), when both hold a "
        "formal responsibility for the theme, when both are central in the network, and when "
        "no common partner could bridge them. An explicit statement that they do not "
        "coordinate raises the score.",
    ),
    MethodItem(
        "level_disconnect",
        "Disconnect between levels",
        "On a theme, at least two local-government and two national-government actors are "
        "active with no tie across the two levels (or government and non-state actors with "
        "no tie between them).",
        "Higher when the actors on both sides are clearly active, and when the two sides are "
        "far apart in the network (not connected at all scores highest). The two most "
        "prominent actors of each side are named.",
    ),
    MethodItem(
        "negative_evidence",
        "Stated absence of coordination",
        "A source says explicitly that one actor does not coordinate or work with another, "
        "and no other source shows a link between them.",
        "0.75 for one clear statement, higher with more statements, lower when the statement "
        "was extracted with less confidence.",
    ),
    MethodItem(
        "single_point_of_failure",
        "Single point of failure",
        "One actor is the only bridge between actors of different levels or sectors on a "
        "theme: if it stopped, they would be cut apart.",
        "Higher when the bridge is clearly active on the theme and when a larger share of "
        "the cross-level pairs depends on it alone.",
    ),
    MethodItem(
        "absent_from_policy",
        "Active, but absent from policy",
        "An organisation that interviews or hearings show at work is not named in any policy "
        "document (strategy, plan, law or report) in scope.",
        "Higher with more interview passages and interviews showing its activity; a bare "
        "mention is not enough.",
    ),
    MethodItem(
        "policy_without_implementer",
        "Commitment without implementer",
        "A policy or programme commitment has no programme or lead actor carrying it out.",
        "Higher the more documents discuss the commitment while nobody implements it.",
    ),
    MethodItem(
        "isolated_actor",
        "Isolated non-state actor",
        "A non-state organisation has no tie to any government actor.",
        "Highest with no tie at all, lower when its ties reach government only through "
        "others; higher with more passages showing it is present, and raised when government "
        "actors are quoted saying they do not work with it.",
    ),
)

_TITLES = {m.kind: m.title for m in METHODS}


def kind_title(kind: str) -> str:
    return _TITLES.get(kind, kind.replace("_", " ").capitalize())
