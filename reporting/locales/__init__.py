"""Locale catalogs of the report (one JSON file per language, same keys); see reporting/locale.py."""
