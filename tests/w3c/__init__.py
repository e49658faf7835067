"""Runners for the W3C SPARQL 1.1 test suites (../shared/w3c-sparql11)."""
