"""No respondent or participant name leaves govgraph (issue 16, item 2), end to end.

A KII and a FGD that give their speakers' real names every way the probe found (header
fields, participant lists, "Ms <Surname>", "I'm <Full Name>", "knows me as <First name>",
people named in passing) are uploaded through the API onto the real store. Then every
stored node and relationship property, read back over Bolt, and every API, export and
report output is scanned: no name, full, first or surname alone, may appear.
"""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph_schema.store import GraphStore
from service.auth import Scope, create_api_key

KII = b"""KEY INFORMANT INTERVIEW - TRANSCRIPT

Date:         14 October 2024
Place:        Nairobi
Respondent:   Wanjiru Kamau, Centre Coordinator
Organisation: Mama Salama Network
Interviewer:  Field researcher

----------------------------------------------------------------------

Q: Thank you. Could you introduce yourself?

A: I'm Wanjiru Kamau, everyone here knows me as Wanjiru. Ms Kamau is what the Ministry of Interior calls me. Mama Salama Network runs the shelters for survivors of gender-based violence.

Q: Who do you work with?

A: We work in partnership with the Kibera Youth Network on gender-based violence. Joseph Mutua from the Nairobi County Government comes sometimes, but the Nairobi County Government does not coordinate with Mama Salama Network.

Q: And the police?

A: We have never been invited by the National Police Service. Mutua says the police will call. Kamau is on every list, but nobody calls.
"""

FGD = b"""FOCUS GROUP DISCUSSION (FGD) - TRANSCRIPT

FGD code:       FGD-09
Date:           19 October 2024
Place:          Nairobi
Type:           FGD, 2 participants (P1-P2)
Organisations:  P1 Achieng Otieno, caseworker, Mama Salama Network; P2 Baraka Mwangi, outreach worker, Kibera Youth Network

----------------------------------------------------------------------

[00:01:12] Facilitator: Who do you go to first?
[00:01:40] P1: My name is Achieng Otieno. Ms Otieno is what the girls call me. I go to Baraka, he is at the Kibera Youth Network.
[00:02:15] P2: Achieng calls me. Mwangi does not coordinate with the National Police Service, and the National Police Service does not coordinate with Mama Salama Network.
[00:02:30] Facilitator: And the county?
[00:02:41] P1: Kevin Ouma at the Nairobi County Government never answers. Ouma knows me as Achieng, nothing more.
"""

PEOPLE = ["Wanjiru Kamau", "Joseph Mutua", "Achieng Otieno", "Baraka Mwangi", "Kevin Ouma"]
# Full names, and each first name and surname alone.
NAMES = sorted({part for full in PEOPLE for part in (full, *full.split())})
_NAME_RE = re.compile(
    r"(?<![A-Za-z])(" + "|".join(re.escape(n) for n in NAMES) + r")(?![A-Za-z])", re.IGNORECASE
)
# What a speaker or a person named in passing is called once pseudonymised.
_PSEUDONYM_RE = re.compile(
    r"^\s*(respondent|participant|interviewer|facilitator|moderator|speaker)\b|\[person \d+\]|"
    r"\[name\]",
    re.IGNORECASE,
)


def _leaks(where: str, text: str) -> list[str]:
    return [
        f"{where}: {m.group(0)!r} in ...{text[max(0, m.start() - 60) : m.end() + 60]}..."
        for m in _NAME_RE.finditer(text)
    ]


def _ingest(api: TestClient, write: dict[str, str]) -> list[dict[str, Any]]:
    r = api.post(
        "/documents",
        headers=write,
        files=[("files", ("kii-07.txt", KII)), ("files", ("fgd-09.txt", FGD))],
    )
    assert r.status_code == 202, r.text
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        job = api.get(f"/jobs/{r.json()['id']}", headers=write).json()
        if job["status"] in {"done", "failed"}:
            break
        time.sleep(0.2)
    assert job["status"] == "done", job
    assert [res["status"] for res in job["results"]] == ["written", "written"], job
    return list(job["results"])


def _texts_of_zip(body: bytes) -> list[tuple[str, str]]:
    with zipfile.ZipFile(io.BytesIO(body)) as z:
        return [(n, z.read(n).decode("utf-8", "replace")) for n in z.namelist()]


def _api_outputs(api: TestClient, read: dict[str, str]) -> list[tuple[str, str]]:
    """(where, text) of every API, export and report output over the ingested graph."""
    out: list[tuple[str, str]] = []

    def get(path: str, **params: Any) -> Any:
        r = api.get(path, headers=read, params=params)
        assert r.status_code == 200, (path, r.status_code, r.text[:300])
        out.append((path, r.content.decode("utf-8", "replace")))
        return r

    documents = get("/documents").json()["items"]
    for doc in documents:
        get(f"/documents/{doc['id']}")
    actors = get("/actors", limit=200).json()["items"]
    for actor in actors:
        get(f"/actors/{actor['id']}")
    gaps = get("/gaps").json()
    for gap in gaps.get("items", gaps if isinstance(gaps, list) else []):
        get(f"/gaps/{gap['id']}")
    for path in ("/themes", "/locations", "/merges", "/network/metrics"):
        get(path)
    for fmt in ("json", "graphml", "gexf"):
        get(f"/exports/{fmt}")
    out += [(f"/exports/csv:{n}", t) for n, t in _texts_of_zip(get("/exports/csv").content)]
    for fmt in ("html", "md"):
        get("/reports/coordination-gaps", format=fmt)
    docx = get("/reports/coordination-gaps", format="docx").content
    out += [(f"report.docx:{n}", t) for n, t in _texts_of_zip(docx) if n.endswith(".xml")]
    return out


def _stored_properties(store: GraphStore) -> list[tuple[str, str]]:
    nodes = store.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS p")
    rels = store.read("MATCH ()-[r]->() RETURN type(r) AS type, properties(r) AS p")
    assert nodes and rels
    return [(f"node {row['labels']}", json.dumps(row["p"], default=str)) for row in nodes] + [
        (f"relationship {row['type']}", json.dumps(row["p"], default=str)) for row in rels
    ]


def test_privacy_end_to_end_no_name_stored_or_served(api: TestClient, store: GraphStore) -> None:
    write, _ = create_api_key(store, "uploader", {Scope.write})
    read, _ = create_api_key(store, "analyst", {Scope.read})
    results = _ingest(api, {"X-API-Key": write})
    read_h = {"X-API-Key": read}

    stored = _stored_properties(store)
    served = _api_outputs(api, read_h)
    served += [(f"/jobs result {r['path']}", json.dumps(r)) for r in results]
    leaks = [leak for where, text in stored + served for leak in _leaks(where, text)]
    assert not leaks, "\n".join(leaks[:20])

    # The scan saw what matters: the quotes and the roles, pseudonymised, are there.
    everything = "\n".join(text for _, text in stored)
    assert "Respondent 1" in everything and "Participant 2" in everything
    assert "Centre Coordinator" in everything and "caseworker" in everything
    assert "Mama Salama Network" in everything and "Kibera Youth Network" in everything
    html = next(t for w, t in served if w == "/reports/coordination-gaps")
    assert "Mama Salama Network" in html


@pytest.mark.parametrize("decision", ["fitted", "off"])
def test_privacy_end_to_end_no_speaker_or_person_becomes_an_actor(
    api: TestClient, store: GraphStore, decision: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The probe saw a participant become an Actor with a 'does not coordinate with'
    relation; a speaker's pseudonym or a person named in passing is never an actor, also
    not as a candidate (the fitted actor decision off): privacy must not rest on weights."""
    if decision == "off":
        monkeypatch.setenv("GOVGRAPH_DECISION_WEIGHTS", "off")
    write, _ = create_api_key(store, "uploader", {Scope.write})
    _ingest(api, {"X-API-Key": write})
    actors = store.read("MATCH (a:Actor) RETURN a.name AS name, a.aliases AS aliases")
    names = {a["name"] for a in actors} | {x for a in actors for x in (a["aliases"] or [])}
    assert {"Mama Salama Network", "Kibera Youth Network"} <= names, names
    assert not [n for n in names if _PSEUDONYM_RE.search(n) or _NAME_RE.search(n)], names
    negative = store.read(
        "MATCH (a:Actor)-[r]->(b:Actor) WHERE type(r) = 'DOES_NOT_COORDINATE_WITH' "
        "RETURN a.name AS a, b.name AS b"
    )
    assert negative, "the fixture's explicit non-coordination must be read"
