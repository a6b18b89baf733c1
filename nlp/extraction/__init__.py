"""Extraction, one job per module; ``nlp.extract`` is the public entry point.

Order of a run (run.py): the pipeline over every passage; pass 1 resolves named mentions
(names.py, with the transcript's own speakers from transcript_actors.py); pass 2 resolves
bare references and short names against the whole corpus (corpus_names.py,
references.py); the actor decision drops rejected candidates (actor_decision.py); then each
document becomes a GraphBatch (document.py) from the relation linker (nlp/relations), theme
cues (theme_relations.py, document_themes.py), list heads and open leads (leads.py), the
issuing body (issuer.py), rank affiliations (affiliations.py) and places
(document_locations.py), merged into facts (aggregate.py) once entities are classified
(classify.py). undo.py splits a merged alias back out of a run's batches.
"""
