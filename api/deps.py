"""Typed FastAPI dependencies: everything a route needs comes from the app's state, never globals."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.edge import JSON_FLAG, LANG_KEY
from api.i18n import Translator
from api.samples import Samples
from certify.catalog import Catalog
from certify.settings import Settings


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_catalog(request: Request) -> Catalog:
    catalog: Catalog = request.app.state.catalog
    return catalog


def get_samples(request: Request) -> Samples:
    samples: Samples = request.app.state.samples
    return samples


def get_lang(request: Request) -> str:
    lang: str = request.scope.get(LANG_KEY, request.app.state.settings.default_lang)
    return lang


def get_translator(request: Request) -> Translator:
    return Translator(get_lang(request))


def wants_json(request: Request) -> bool:
    """The JSON twin of a page: `/page.json`, or an Accept header that prefers JSON to HTML."""
    if request.scope.get(JSON_FLAG):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


# As dependencies, the same functions wrapped in `async def`: FastAPI runs a plain `def` dependency in its thread
# pool, a hop between threads on every request for what only reads the app's state (a tenth of a stateless
# request's cost); an `async def` one runs in place. The plain functions stay, for the pages that call them.


async def _catalog(request: Request) -> Catalog:
    return get_catalog(request)


async def _samples(request: Request) -> Samples:
    return get_samples(request)


async def _settings(request: Request) -> Settings:
    return get_settings(request)


async def _translator(request: Request) -> Translator:
    return get_translator(request)


CatalogDep = Annotated[Catalog, Depends(_catalog)]
SamplesDep = Annotated[Samples, Depends(_samples)]
SettingsDep = Annotated[Settings, Depends(_settings)]
TranslatorDep = Annotated[Translator, Depends(_translator)]
