"""Importers for official formats and reproducible conversions of reference tables.

Each writes the project's own tables under data/; none copies a source file. Running one
again on the same input leaves data/ unchanged.
"""
