from __future__ import annotations

from nlp import load_pipeline
from nlp.components.actor_ruler import ACRONYMS_KEY, SPANS_KEY


def _spans(text: str, lang: str = "en") -> dict[str, str]:
    doc = load_pipeline(lang)(text)
    return {s.text: s.label_ for s in doc.spans[SPANS_KEY]}


def test_actor_ruler_finds_government_and_non_state_names_by_pattern() -> None:
    found = _spans(
        "The Ministry of Water, Sanitation and Housing met the Brenmoor Street Traders' "
        "Association, the Tellavia National Police Service and the Brenmoor Interfaith Council."
    )
    assert found.get("Ministry of Water, Sanitation and Housing") == "ACTOR"
    assert found.get("Brenmoor Street Traders' Association") == "ACTOR"
    assert found.get("Tellavia National Police Service") == "ACTOR"
    assert found.get("Brenmoor Interfaith Council") == "ACTOR"


def test_actor_ruler_labels_policies_programmes_and_learns_acronyms() -> None:
    doc = load_pipeline("en")(
        "The Brenmoor Youth Employment Strategy 2025-2030 is led by the Office for "
        "Neighbourhood Renewal (ONR) through the Safe Routes Initiative."
    )
    labels = {s.text: s.label_ for s in doc.spans[SPANS_KEY]}
    assert labels["Brenmoor Youth Employment Strategy 2025-2030"] == "POLICY"
    assert labels["Safe Routes Initiative"] == "PROGRAMME"
    assert labels["Office for Neighbourhood Renewal"] == "ACTOR"
    assert doc.user_data[ACRONYMS_KEY] == {"ONR": "Office for Neighbourhood Renewal"}


def test_actor_ruler_uses_the_international_gazetteer() -> None:
    found = _spans("In Brenmoor, UNICEF and the World Bank fund school safety audits.")
    assert found.get("UNICEF") == "ACTOR"
    assert found.get("World Bank") == "ACTOR"


def test_actor_ruler_splits_a_body_of_another_body() -> None:
    found = _spans("She works at the Victim Support Office of the Tellavia Justice Ministry.")
    assert "Victim Support Office" in found
    assert "Tellavia Justice Ministry" in found


def test_actor_ruler_spanish_general_patterns() -> None:
    found = _spans(
        "La Secretaría de Protección Civil y Bienestar Social coordina con la Guardia "
        "Nacional, la Fiscalía General del Estado de Montalba y la Comisión Estatal de "
        "Búsqueda de Personas.",
        "es",
    )
    assert "Secretaría de Protección Civil y Bienestar Social" in found
    assert "Guardia Nacional" in found
    assert "Fiscalía General del Estado de Montalba" in found
    assert "Comisión Estatal de Búsqueda de Personas" in found


def test_actor_ruler_name_boundaries_and_of_complement_with_and() -> None:
    found = _spans(
        "The Ministry of Fisheries and Coastal Services wrote to the Tellavia Ports "
        "Commission in April."
    )
    assert found.get("Ministry of Fisheries and Coastal Services") == "ACTOR"
    assert found.get("Tellavia Ports Commission") == "ACTOR"  # not "... in April"


def test_actor_ruler_numbered_instrument_and_its_issuing_body_are_separate() -> None:
    found = _spans(
        "Decree No. 4/2021 on the Protection of Minors applies. The Coastal Hygiene Protocol "
        "of the Ministry of Fisheries and Coastal Services is old. Circular No. 2/2020 of the "
        "Harbour Ministry was withdrawn."
    )
    assert found.get("Decree No. 4/2021 on the Protection of Minors") == "POLICY"
    assert found.get("Coastal Hygiene Protocol") == "POLICY"
    assert found.get("Ministry of Fisheries and Coastal Services") == "ACTOR"
    assert found.get("Circular No. 2/2020") == "POLICY"
    assert found.get("Harbour Ministry") == "ACTOR"


def test_actor_ruler_spaced_dash_separates_names_tight_hyphen_joins() -> None:
    found = _spans(
        "Republic of Tellavia - Ministry of Fisheries. The SAFE-Harbour Joint Programme "
        "is run by the Counter-Smuggling Unit."
    )
    assert found.get("Ministry of Fisheries") == "ACTOR"
    assert "Republic of Tellavia - Ministry of Fisheries" not in found
    assert found.get("SAFE-Harbour Joint Programme") == "PROGRAMME"
    assert found.get("Counter-Smuggling Unit") == "ACTOR"


def test_actor_ruler_lowercase_headed_community_groups() -> None:
    found = _spans(
        "The mothers go to the Eastbrook Chapel youth club. The parents' association at "
        "Dunmore School meets monthly. Civil society groups were consulted."
    )
    assert found.get("Eastbrook Chapel youth club") == "ACTOR"
    assert found.get("parents' association at Dunmore School") == "ACTOR"
    assert not any(name.lower().startswith("civil society") for name in found)


def test_actor_ruler_programme_with_lowercase_descriptors_and_laws_named_before_the_head() -> None:
    found = _spans(
        "The Agency shall roll out the Strong Start family skills programme. The Protection "
        "from Coastal Flooding Act 2021 applies."
    )
    assert found.get("Strong Start") == "PROGRAMME"
    assert found.get("Protection from Coastal Flooding Act 2021") == "POLICY"


def test_long_official_names_keep_their_chained_and_coordinated_complements() -> None:
    # Invented bodies; the grammar, not the names, is what is tested: more complements
    # than the matcher's two tail groups, "y la" inside a complement, and a comma list
    # whose last item ends on a head word.
    es = _spans(
        "La Dirección Comarcal de Atención Temprana de la Juventud y la Familia (DCAT) "
        "trabaja con la Secretaría de las Artes del Gobierno de Valdemora.",
        "es",
    )
    assert es.get("Dirección Comarcal de Atención Temprana de la Juventud y la Familia") == "ACTOR"
    assert "Familia" not in es
    assert es.get("Secretaría de las Artes del Gobierno de Valdemora") == "ACTOR"
    en = _spans("The Department of Sport, Culture and Social Services met the press.")
    assert en.get("Department of Sport, Culture and Social Services") == "ACTOR"
    assert "Services" not in en


def test_and_before_a_head_with_its_own_complement_starts_a_second_body() -> None:
    found = _spans("The Ministry of Roads and Ministry of Fisheries signed the plan.")
    assert found.get("Ministry of Roads") == "ACTOR"
    assert found.get("Ministry of Fisheries") == "ACTOR"
    kept = _spans("The Ministry of Justice and Correctional Services met the Council.")
    assert kept.get("Ministry of Justice and Correctional Services") == "ACTOR"


def test_and_the_before_a_named_body_does_not_extend_the_name() -> None:
    found = _spans(
        "The Forum brings together the Directorate of Youth Services and the Tarnby "
        "Traders Association."
    )
    assert found.get("Directorate of Youth Services") == "ACTOR"
    assert found.get("Tarnby Traders Association") == "ACTOR"


def test_actor_ruler_a_name_never_ends_inside_an_open_bracket() -> None:
    """The statistical NER ran 'Department of Urban Safety and Enforcement (DUSE' together;
    the name stops before the bracket and the acronym it defines is its own mention."""
    nlp = load_pipeline("en")
    doc = nlp(
        "The chapter was prepared by the Department of Urban Safety and Enforcement (DUSE), "
        "which leads the sector."
    )
    spans = [s.text for s in doc.spans[SPANS_KEY]]
    assert "Department of Urban Safety and Enforcement" in spans
    assert "DUSE" in spans
    assert not any("(" in s for s in spans)


def test_actor_ruler_hyphenated_gazetteer_acronym_is_not_cut() -> None:
    # The English tokenizer splits "UN-Habitat"; the gazetteer entry must match the split
    # form, and a rule span starting inside it ("Habitat implements ...") must not win.
    found = _spans("UN-Habitat implements Component 3 with the Brenmoor City Council.")
    assert found.get("UN-Habitat") == "ACTOR"
    assert not any(name.startswith("Habitat") for name in found)
    assert _spans("Led by UN-Habitat, this component supports the City.").get("UN-Habitat")


def test_actor_ruler_acronym_says_where_a_coordinated_name_starts() -> None:
    # "and" inside a name cut it short; the acronym right after it spells the whole name.
    for text in (
        "The Public Integrity and Anti-Corruption Commission (PIACC) investigates.",
        "Did you report it to the Public Integrity and Anti-Corruption Commission, PIACC?",
    ):
        found = _spans(text)
        assert found.get("Public Integrity and Anti-Corruption Commission") == "ACTOR", found
        assert "Anti-Corruption Commission" not in found
    # A comma list is not an acronym definition: the two bodies stay two.
    found = _spans("We met the Ministry of Health, UNICEF and the Brenmoor City Council.")
    assert {"Ministry of Health", "UNICEF"} <= set(found)


def test_actor_ruler_a_name_opening_with_a_period_word_is_an_occasion_not_a_body() -> None:
    found = _spans(
        "The Monthly Community Policing Forum brings together the Brenmoor Police Command "
        "and the Brenmoor Ward Safety Committee; the Annual Review Meeting is in May."
    )
    assert not any(t.startswith(("Monthly", "Annual")) for t in found), found
    assert found.get("Brenmoor Police Command") == "ACTOR"
    assert found.get("Brenmoor Ward Safety Committee") == "ACTOR"
    es = _spans(
        "La Reunión Trimestral de Seguimiento convoca al Consejo Municipal de la Juventud.",
        "es",
    )
    assert not any("Trimestral" in t for t in es), es


def test_actor_ruler_a_name_the_text_calls_an_organisation_is_an_actor() -> None:
    # No head word and a statistical NER that reads them as a place or a person: the
    # appositive or the copula says what they are.
    doc = load_pipeline("en")(
        "Outreach in Dunmore is done by Tamu Njema Dunmore (TND), a registered youth group, "
        "and the Kesi Moja Recovery Initiative, a community-based organisation."
    )
    found = {s.text: s.label_ for s in doc.spans[SPANS_KEY]}
    assert found.get("Tamu Njema Dunmore") == "ACTOR", found
    assert found.get("Kesi Moja Recovery Initiative") == "ACTOR", found  # not a programme
    assert doc.user_data[ACRONYMS_KEY].get("TND") == "Tamu Njema Dunmore"
    assert _spans("P2: Tamu Njema is a youth group since 2019.").get("Tamu Njema") == "ACTOR"
    assert (
        _spans("En Dunmore trabaja Vecinas Juntas, un colectivo de madres.", "es").get(
            "Vecinas Juntas"
        )
        == "ACTOR"
    )
    # A description of a person, a programme or an event is not an organisation's; a
    # pronoun is not a name; an initiative nobody describes stays a programme.
    assert "Halima Baraka" not in _spans("We met Halima Baraka, a youth group leader.")
    assert "Safe Routes" not in _spans("Safe Routes, a programme of the City, ended.")
    assert _spans("It is a group of parents.") == {}
    assert _spans("The Safe Routes Initiative started.").get("Safe Routes Initiative") == (
        "PROGRAMME"
    )


def test_actor_ruler_an_acronym_inside_a_hyphenated_compound_is_not_its_body() -> None:
    found = _spans("The work runs under a UN-to-UN agreement and an EU-Brenmoor compact.")
    assert "UN" not in found and "EU" not in found, found
    # a participle after the hyphen still names the body as the one acting
    assert _spans("An EU-funded project reached Brenmoor.").get("EU") == "ACTOR"
    # the compound's whole name is still found
    assert _spans("UN-Habitat works with the City.").get("UN-Habitat") == "ACTOR"


def test_actor_ruler_a_list_marker_opening_a_line_is_not_part_of_a_name() -> None:
    es = _spans("I. Consejo Municipal de la Juventud: el órgano colegiado del Ayuntamiento.", "es")
    assert "Consejo Municipal de la Juventud" in es, es
    assert not any(name.startswith("I.") for name in es), es
    en = _spans("b. The Brenmoor Youth Council reviews the plan.\nc. Brenmoor Traders Union")
    assert not any(name[:2] in {"b.", "c."} for name in en), en
    assert "Brenmoor Traders Union" in en, en
    # a capital with a point is an honorific, not a marker
    assert "H. Ayuntamiento de Dunmore" in _spans("H. Ayuntamiento de Dunmore aprobó.", "es")


def test_actor_ruler_a_name_headed_by_a_title_is_a_post_not_a_body() -> None:
    es = _spans(
        "Firmó el Secretario de Obras de Dunmore. La Directora Ejecutiva del Instituto "
        "Municipal de la Juventud habló.",
        "es",
    )
    posts = [n for n, label in es.items() if n.startswith(("Secretario", "Directora"))]
    assert all(es[n] == "PERSON" for n in posts), es  # a post or its holder, never a body
    assert "Instituto Municipal de la Juventud" in es, es
    en = _spans("The Chief of Police met the Sheriff's Office and the Detective Division.")
    assert "Chief of Police" not in en, en
    assert en.get("Sheriff's Office") == "ACTOR" and en.get("Detective Division") == "ACTOR"


def test_actor_ruler_a_statistical_span_ends_at_its_last_capitalised_word() -> None:
    doc = load_pipeline("es")(
        "El Consejo Ciudadano de Dunmore podrá presentar al Consejo opiniones, propuestas "
        "y recomendaciones sobre la Guardia contará."
    )
    names = {s.text for s in doc.spans[SPANS_KEY]}
    assert not any(n.split()[-1].islower() for n in names), names


def test_actor_ruler_a_name_ending_in_a_title_is_a_post() -> None:
    en = _spans("The OCS raised it with the Dunmore Sub-County Police Commander on Monday.")
    assert not any(n.endswith("Commander") for n in en), en
    assert (
        _spans("The Office of the Attorney General of Dunmore met.").get(
            "Office of the Attorney General of Dunmore"
        )
        == "ACTOR"
    )
    assert _spans("La Fiscalía General informó al Consejo.", "es").get("Fiscalía General")


def test_actor_ruler_a_name_runs_on_to_the_acronym_it_defines() -> None:
    doc = load_pipeline("es")(
        "La Fiscalía Especializada en Delitos contra la Niñez y por Razones de Edad (FEDNE) "
        "sesiona. La Secretaría de Salud y la Secretaría de Educación (SE) firman."
    )
    found = {s.text for s in doc.spans[SPANS_KEY]}
    long_form = "Fiscalía Especializada en Delitos contra la Niñez y por Razones de Edad"
    assert long_form in found, found
    assert doc.user_data[ACRONYMS_KEY].get("FEDNE") == long_form
    # a second body after "y la" is not a continuation
    assert {"Secretaría de Salud", "Secretaría de Educación"} <= found, found
