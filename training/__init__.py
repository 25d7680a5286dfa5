"""Training recipes for kg's own spaCy pipelines (see training/README.md)."""
