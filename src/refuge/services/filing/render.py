"""The templates: Jinja2 files under ``refuge/templates/filing`` that a lawyer can edit.

One HTML template per document and language makes every format: HTML as is, PDF printed from
it, DOCX and Markdown from its blocks (``blocks``). A folder given as ``templates`` is searched
first, so an office can keep its own wording without changing refuge. Autoescaping is on for
every template, and an undefined variable is an error, not an empty string.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateNotFound

from refuge.errors import InputError
from refuge.services.filing import outputs
from refuge.services.filing.facts import Dossier
from refuge.services.filing.request import Request

FORMATS = {"dossier": ("pdf", "html", "docx"), "request": ("docx", "pdf", "md", "html")}
LANGUAGES = ("en", "ru")


def default_template_dir() -> Path:
    return Path(str(resources.files("refuge") / "templates" / "filing"))


@cache
def environment(templates: Path | None = None) -> Environment:
    loaders = [FileSystemLoader(str(templates))] if templates else []
    loaders.append(FileSystemLoader(str(default_template_dir())))
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _html(name: str, templates: Path | None, **context: object) -> str:
    try:
        template = environment(templates).get_template(name)
    except TemplateNotFound:
        raise InputError(f"no template {name!r} in {templates or default_template_dir()}") from None
    return template.render(**context)


def _convert(document: str, fmt: str, generated: date) -> bytes:
    if fmt == "html":
        return document.encode()
    if fmt == "pdf":
        return outputs.pdf(document)
    if fmt == "docx":
        return outputs.docx(document, generated)
    return outputs.markdown(document).encode()


def render_dossier(dossier: Dossier, fmt: str, templates: Path | None = None) -> bytes:
    """The dossier as ``pdf``, ``html`` or ``docx``."""
    _check(fmt, "dossier")
    document = _html("dossier.en.html", templates, d=dossier)
    return _convert(document, fmt, date.fromisoformat(dossier.generated))


def render_request(
    request: Request, fmt: str, lang: str = "en", templates: Path | None = None
) -> bytes:
    """The request as ``docx``, ``pdf``, ``md`` or ``html``, in English or Russian."""
    _check(fmt, "request")
    if lang not in LANGUAGES:
        raise InputError(f"no request template in {lang!r}: use one of {', '.join(LANGUAGES)}")
    document = _html(f"request.{lang}.html", templates, r=request, d=request.dossier)
    return _convert(document, fmt, date.fromisoformat(request.dossier.generated))


def _check(fmt: str, kind: str) -> None:
    if fmt not in FORMATS[kind]:
        raise InputError(f"a {kind} is made as {', '.join(FORMATS[kind])}, not {fmt!r}")
