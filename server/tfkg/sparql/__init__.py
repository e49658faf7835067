"""SPARQL handling without HTTP: guards, deadline, formats, descriptions."""
