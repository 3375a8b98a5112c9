"""Use cases: the only Python API the command line, the REST API and the web pages call."""
