"""Turns, speakers and roles of every transcript among the scenario corpora's system inputs.

    .venv/bin/python bench/transcript_turns.py [--corpus ../shared/corpus]

One row per .txt/.vtt/.srt file of scenario-*/inputs (and scenario-dev/transcripts, which
has no inputs folder): the kind read, how many turns, how many distinct speakers, the
turns per speaker role, and whether the respondent got an organisation. It tracks what
the transcript reader recovers from files it was not written against.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
_SUFFIXES = (".txt", ".vtt", ".srt")


def transcript_files(corpus: Path) -> list[Path]:
    files: list[Path] = []
    for scenario in sorted(corpus.glob("scenario-*")):
        folder = scenario / "inputs"
        if not folder.is_dir():
            folder = scenario / "transcripts"
        files += sorted(p for p in folder.glob("*") if p.suffix in _SUFFIXES)
    return files


def main() -> None:
    from ingest import read_document

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    print(f"{'file':52} {'kind':8} {'turns':>5} {'spk':>4}  roles (turns)  respondent org")
    for path in transcript_files(args.corpus):
        doc = read_document(path)
        turns = {p.turn: p for p in doc.passages if p.turn is not None}
        speakers = {p.speaker for p in turns.values()}
        roles = Counter(p.speaker_role.value for p in turns.values())
        orgs = sorted({r.organisation for r in doc.respondents if r.organisation})
        name = f"{path.parent.parent.name}/{path.name}"
        role_text = ",".join(f"{k}={v}" for k, v in sorted(roles.items())) or "-"
        org_text = "; ".join(orgs)[:60] or "-"
        print(
            f"{name:52} {doc.kind.value:8} {len(turns):5} {len(speakers):4}  {role_text:14} {org_text}"
        )


if __name__ == "__main__":
    main()
