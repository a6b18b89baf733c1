"""Starts a sentence at each item of a list ("a) ...;\\nb) ..."), before the parser runs.

The parser reads "a) review ...;\\nb) coordinate ...;\\nc) report ..." as one sentence, so
a theme word or a partner named in one item would count for every other item. Items are
clauses of their own; the parser respects sentence starts set before it.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["mark_list_items"]

# "a)", "(a)", "iv)", "1.", "2)", and bullets, as the first tokens of a line
_MARKER = re.compile(r"^(?:\(?[A-Za-z]\)|\(?[ivxIVX]{1,4}\)|\d{1,2}[.)]|[-•*▪–])$")


@Language.component("govgraph_list_items")
def mark_list_items(doc: Doc) -> Doc:
    for tok in doc[:-1]:
        if not (tok.is_space and "\n" in tok.text):
            continue
        nxt = doc[tok.i + 1]
        first = nxt.text
        if nxt.text == "(" and nxt.i + 2 < len(doc):
            first = "(" + doc[nxt.i + 1].text + doc[nxt.i + 2].text
        elif nxt.i + 1 < len(doc) and doc[nxt.i + 1].text in {")", "."}:
            first = nxt.text + doc[nxt.i + 1].text
        if _MARKER.match(first):
            nxt.is_sent_start = True
    return doc
