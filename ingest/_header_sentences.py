"""The respondent's role and organisation when a header says them in a sentence.

"The respondent works for the Riverside Women's Network as a caseworker", "I interviewed
the director of Mama Salama, a women's organisation in Kisima", "La entrevista se realizó
en las oficinas de Colectiva Mujeres del Oriente, A.C., con la coordinadora de esa
organización". An organisation is a run of capitalised words (with the particles of its
name); "that organisation" / "esa organización" points back to the one the sentence named
before (where the interview took place).
"""

from __future__ import annotations

import re

__all__ = ["respondent_from_sentences"]

_CAP = r"[A-ZÁÉÍÓÚÑ][\w’'&.-]*"
_JOIN = r"(?:\s+(?:de|del|la|las|los|y|e|of|the|and|for|on|in)){0,3}\s+"
_ORG = rf"(?P<org>{_CAP}(?:{_JOIN}{_CAP}|\s+{_CAP})*(?:,\s*A\.\s?C\.)?)"
_ROLE = r"(?P<role>[a-záéíóúñ][\w’'áéíóúñ -]{2,60}?)"
_ARTICLE = r"(?:the|a|an|la|el|una|un)\s+"
_BACK_REFERENCE = re.compile(
    r"^(?:that|this|the same) organi[sz]ation|^(?:esa|esta|dicha|la misma) organización",
    re.IGNORECASE,
)
_SUBJECT = (
    r"(?i:the respondent|the interviewee|the informant|she|he|la entrevistada|el entrevistado)"
)

# Each pattern names the respondent's organisation (and maybe role) in one sentence shape.
_WITH_ORG = [
    re.compile(
        rf"\b{_SUBJECT}\s+(?:works|worked|is employed|trabaja|labora)\s+(?:for|at|with|en|para)\s+"
        rf"(?:the\s+|la\s+|el\s+)?{_ORG}(?:\s+(?:as|como)\s+(?:{_ARTICLE})?{_ROLE}[.,;]|)",
    ),
    re.compile(
        rf"\b(?:interviewed|met|entrevistamos a|entrevisté a)\s+{_ARTICLE}{_ROLE}\s+"
        rf"(?:of|at|from|de|del)\s+(?:the\s+|la\s+)?{_ORG}",
    ),
    re.compile(
        rf"\b{_SUBJECT}\s+(?:is|es)\s+{_ARTICLE}{_ROLE}\s+(?:of|at|de|del)\s+(?:the\s+|la\s+)?{_ORG}",
    ),
]
# Where the interview was held: the organisation a later "that organisation" means.
_PREMISES = re.compile(
    rf"\b(?:at the (?:offices?|premises|headquarters) of|en las (?:oficinas|instalaciones)"
    rf"|en la sede)\s+(?:de(?:l| la| los)?\s+|the\s+)?{_ORG}",
)
_ROLE_OF_BACK = re.compile(
    rf"\b(?:with|con)\s+{_ARTICLE}{_ROLE}\s+(?:of|de)\s+(?P<back>(?:that|this|esa|esta|dicha)"
    r"\s+organi[sz]aci?[oó]n)",
    re.IGNORECASE,
)


def _clean(org: str) -> str:
    org = org.strip(" ,;")
    # A sentence's full stop goes; an abbreviation's ("A.C.") stays.
    return org if re.search(r"\b[A-Z]\.[A-Z]\.$", org) else org.rstrip(".")


def respondent_from_sentences(text: str) -> tuple[str | None, str | None]:
    """(role, organisation) of the respondent that ``text``'s sentences give, else Nones."""
    for pattern in _WITH_ORG:
        if m := pattern.search(text):
            role = m.groupdict().get("role")
            org = _clean(m.group("org"))
            if not _BACK_REFERENCE.match(org):
                return (role.strip() if role else None), org
    premises, back = _PREMISES.search(text), _ROLE_OF_BACK.search(text)
    if premises and back and back.start() > premises.start():
        return back.group("role").strip(), _clean(premises.group("org"))
    return None, None
