"""The server-rendered web UI (pages, templates, vendored static files) over ``api.service``."""
