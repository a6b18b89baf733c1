"""The first hour of a new analyst: version, closed vocabularies, offline docs, exports."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app


def test_service_cli_version_prints_without_a_command() -> None:
    from govgraph import __version__

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert __version__ in result.output


@pytest.mark.parametrize("command", [["gaps"], ["report", "--out", "r.html"], ["export", "json"]])
def test_service_cli_unknown_theme_exits_2_with_the_valid_themes(command: list[str]) -> None:
    from service.vocabulary import theme_ids

    if command[0] == "export":
        command = [*command, "--out", "g.json"]
    result = CliRunner().invoke(app, [*command, "--theme", "nonsense"])
    assert result.exit_code == 2, result.output
    flat = " ".join(result.output.split())
    assert "unknown theme 'nonsense'" in flat
    for tid in theme_ids()[:3]:
        assert tid in flat.replace("│", " ").replace("  ", " ") or tid in result.output


def test_service_cli_help_lists_the_valid_themes() -> None:
    result = CliRunner().invoke(app, ["gaps", "--help"], terminal_width=400)
    assert result.exit_code == 0
    assert "community_safety" in result.output and "human_rights" in result.output


def test_service_vocabulary_accepts_ids_labels_and_prefixed_ids() -> None:
    from service.vocabulary import UnknownValue, check, check_theme

    assert check_theme("Community safety") == "community_safety"
    assert check_theme("theme:policing") == "policing"
    assert check("level", "local") == "local"
    with pytest.raises(UnknownValue) as err:
        check("document_kind", "interview")
    assert "kii" in err.value.allowed and "kii" in err.value.message


def test_service_cli_export_csv_writes_a_zip_and_says_so(
    settings, store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GOVGRAPH_DATA_DIR", str(settings.data_dir))
    out = tmp_path / "g.csv"
    result = CliRunner().invoke(app, ["export", "csv", "--out", str(out)], terminal_width=400)
    assert result.exit_code == 0, result.output
    written = tmp_path / "g.zip"
    assert not out.exists() and zipfile.is_zipfile(written)
    assert "g.zip" in result.output and "ZIP" in result.output


def test_service_api_docs_are_offline_and_root_redirects(store) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from service.app import create_app

    with TestClient(create_app(store=store)) as client:
        docs = client.get("/docs")
        assert docs.status_code == 200
        assert "cdn" not in docs.text.lower() and "https://" not in docs.text
        redoc = client.get("/redoc")
        assert redoc.status_code == 200
        assert "cdn" not in redoc.text.lower() and "https://" not in redoc.text
        # every script and stylesheet the two pages load is served here, and is the real build
        for page in (docs.text, redoc.text):
            assets = re.findall(r'(?:src|href)="(/docs-assets/[^"]+)"', page)
            assert any(a.endswith(".js") for a in assets), page
            for asset in assets:
                served = client.get(asset)
                assert served.status_code == 200, asset
                assert len(served.content) > (100_000 if asset.endswith(".js") else 1_000), asset
        root = client.get("/", follow_redirects=False)
        assert root.status_code in {307, 308} and root.headers["location"] == "/web/"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/gaps?theme=nonsense", "community_safety"),
        ("/actors?theme=nonsense", "community_safety"),
        ("/network/metrics?theme=nonsense", "community_safety"),
        ("/reports/coordination-gaps?theme=nonsense", "community_safety"),
        ("/exports/json?theme=nonsense", "community_safety"),
        ("/gaps?kind=nonsense", "isolated_actor"),
        ("/gaps?document_kind=interview", "kii"),
        ("/gaps?level_pair=local&level_pair=city", "national"),
        ("/actors?level=city", "national"),
        ("/actors?type=club", "academia"),
    ],
)
def test_service_api_unknown_vocabulary_is_422_with_the_valid_values(
    store, url: str, expected: str
) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from govgraph.settings import Settings
    from service.app import create_app

    cfg = Settings(_env_file=None, auth_disabled=True)  # type: ignore[call-arg]
    with TestClient(create_app(cfg, store=store)) as client:
        r = client.get(url)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    msg = " ".join(e["msg"] for e in r.json()["errors"])
    assert expected in msg, msg


def test_service_cli_serve_on_a_busy_port_fails_before_announcing() -> None:
    import socket

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 1, result.output
    assert "govgraph API on" not in result.output
    assert f"cannot serve on 127.0.0.1:{port}" in " ".join(result.output.split())


def test_service_cli_demo_names_the_workbench_and_the_api_docs(cli_env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The demo's closing hint names the workbench (/web/) and the API docs (/docs), and
    both are pages `govgraph serve` answers (issue 15)."""
    from fastapi.testclient import TestClient

    from govgraph.settings import Settings
    from service.app import create_app

    doc = tmp_path / "plan.txt"
    doc.write_text("The City Council works with Youth Aid on community safety.\n")
    result = CliRunner().invoke(
        app,
        ["demo", "--examples", str(doc), "--report", str(tmp_path / "r.html")],
        terminal_width=400,
    )
    assert result.exit_code == 0, result.output
    hint = result.output.strip().splitlines()[-1]
    assert hint.startswith("next:") and "workbench at /web/" in hint and "/docs" in hint
    cfg = Settings(_env_file=None, data_dir=tmp_path / "serve")  # type: ignore[call-arg]
    with TestClient(create_app(cfg, store=cli_env)) as client:
        for path in re.findall(r"at (/\S*?)[,)]", hint):
            assert client.get(path).status_code == 200, path
