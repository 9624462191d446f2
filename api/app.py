"""Application factory: `create_app(settings)` wires settings, catalog, samples, storage and routes."""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api import auth, handlers
from api.edge import Edge
from api.pages import (
    admin_pages,
    api_docs,
    assess_pages,
    assets,
    evidence_pages,
    framework_pages,
    home,
    plan_pages,
    store_pages,
    unit_pages,
)
from api.routes import dti_api, evaluate_api, frameworks_api, plan_api, reports_api, samples_api, store_api
from api.samples import Samples
from api.sessions import Sessions
from api.sql_store import SqlStore
from api.store import Store
from certify.catalog import Catalog, default_catalog
from certify.settings import Settings, get_settings

STATIC = Path(__file__).parent / "static"

DESCRIPTION = """\
Đánh giá, công nhận mức độ chuyển đổi số cấp huyện, cấp xã (QĐ 2361/QĐ-BTTTT và bộ tiêu chí của tỉnh).

Lỗi luôn có dạng `{"errors": [...]}`: mỗi lỗi có đường dẫn trường (`path`), thông điệp tiếng Việt và tiếng Anh.
Errors always read `{"errors": [...]}`, each with the field path and a Vietnamese and English message.
"""


class FromSettings:
    """`create_app`'s default store: the database of `settings.database_url` (created on first run)."""


FROM_SETTINGS = FromSettings()


def create_app(
    settings: Settings | None = None,
    *,
    catalog: Catalog | None = None,
    store: Store | FromSettings | None = FROM_SETTINGS,
) -> FastAPI:
    """The web app. `store=None` gives the stateless app (evaluate, gap, frameworks; stored pages answer 503)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="certify — chuyển đổi số",
        version="0.1.0",
        description=DESCRIPTION,
        docs_url=None,  # served from vendored files by api.pages.api_docs (offline, under the CSP)
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.state.catalog = catalog or default_catalog()
    app.state.samples = Samples(settings.samples_dir, app.state.catalog)
    if isinstance(store, FromSettings):
        store = open_store(settings.database_url, app.state.catalog)
    app.state.store = store
    app.state.secret_key = secret_key(settings, store)
    app.state.login_limiter = auth.LoginLimiter.from_settings(settings)
    handlers.install(app)
    for api_router in (
        frameworks_api.router,
        evaluate_api.router,
        samples_api.router,
        store_api.router,
        dti_api.router,
        reports_api.router,
        plan_api.router,
    ):
        app.include_router(api_router, prefix="/api")
    for page_router in (
        api_docs.router,
        assets.router,
        home.router,
        framework_pages.router,
        unit_pages.router,
        assess_pages.router,
        auth.router,
        store_pages.router,
        evidence_pages.router,
        admin_pages.router,
        plan_pages.router,
    ):
        app.include_router(page_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # Sessions in the database (api.sessions): the cookie holds a random token only.
    app.add_middleware(Sessions, seconds=settings.session_seconds, force_secure=settings.secure_cookies)
    app.add_middleware(  # outermost: trusted proxies and security headers for everything inside
        Edge,
        default_lang=settings.default_lang,
        max_body=settings.max_body_bytes,
        secure=settings.secure_cookies,
        max_upload=settings.max_evidence_bytes + 1024 * 1024,  # the file and the form around it
        proxies=settings.proxy_networks(),
    )
    return app


def secret_key(settings: Settings, store: Store | None) -> str:
    """The key that signs form tokens: the setting, else the one kept in the database (created on first run,
    shared by every worker); the stateless app, which has no accounts, makes one for its process."""
    if settings.secret_key:
        return settings.secret_key
    if store is not None:
        return store.secret_key()
    return secrets.token_urlsafe(32)


def open_store(url: str, catalog: Catalog) -> SqlStore:
    """The store on a migrated database (the first run creates it)."""
    from certify.store.migrate import ready_engine

    return SqlStore(ready_engine(url), catalog)
