"""Importers of community data from outside Ruche."""
