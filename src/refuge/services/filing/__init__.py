"""Filing: the case dossier and the draft request for interim measures, from what refuge knows.

One module per concept: ``text`` (cleaning what a case file says, writing dates without ever
collapsing a range), ``facts`` (the dossier: the case and the engine's findings on a date),
``bodies`` (the CAT, the Human Rights Committee and the European Court: which instruments a
complaint needs and which published rules the request follows), ``request`` (the request's
sections, or a refusal when the state is not bound), ``render`` (Jinja2 templates to HTML, PDF,
DOCX and Markdown), ``record`` (a sent request becomes an ``interim_measures_request`` event),
``resolve`` (a case file path or a store case id). The CLI, the API and the web pages call these
functions and nothing else.
"""

from refuge.services.filing.bodies import BODIES, Body
from refuge.services.filing.facts import Dossier, gather_dossier
from refuge.services.filing.record import record_request_sent, request_event
from refuge.services.filing.render import FORMATS, render_dossier, render_request
from refuge.services.filing.request import FilingRefused, Request, gather_request
from refuge.services.filing.resolve import load_case

__all__ = [
    "BODIES",
    "FORMATS",
    "Body",
    "Dossier",
    "FilingRefused",
    "Request",
    "gather_dossier",
    "gather_request",
    "load_case",
    "record_request_sent",
    "render_dossier",
    "render_request",
    "request_event",
]
