"""The REST API's routers, mounted under ``/api`` by ``create_app``."""

from __future__ import annotations

from fastapi import APIRouter

from refuge.api.routes.cases import router as cases
from refuge.api.routes.editing import router as editing
from refuge.api.routes.review import router as review
from refuge.api.routes.search import router as search

ROUTERS: tuple[APIRouter, ...] = (cases, review, search, editing)
