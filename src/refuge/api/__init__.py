"""The REST API and the web app's composition root (``create_app``)."""
