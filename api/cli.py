"""`certify serve`: the web application on uvicorn."""

from __future__ import annotations

from typing import Annotated, Any

import typer


def serve(
    host: Annotated[str, typer.Option("--host", help="Địa chỉ lắng nghe (listen address)")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Cổng (port)", min=1, max=65535)] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            help="Số tiến trình phục vụ (worker processes); nhiều tiến trình: nên dùng PostgreSQL",
            min=1,
            max=64,
        ),
    ] = 1,
) -> None:
    """Chạy ứng dụng web (start the web application).

    Sessions, failed logins and the secret key live in the database, so several workers (--workers N)
    see one truth. X-Forwarded-* headers are believed only from CERTIFY_TRUSTED_PROXIES."""
    from certify.bulk import gc_paused

    # Start-up makes many objects and little garbage (the web stack's modules, on a first run the administrative
    # units and the demo): without cyclic collections in the meantime, `certify serve` answers sooner.
    with gc_paused():
        import uvicorn  # imported here so the other commands start without the web stack

        from api.app import create_app
        from certify.settings import get_settings
        from certify.store.demo import load_demo

        settings = get_settings()
        app = create_app(settings)  # the database of CERTIFY_DATABASE_URL, SQLite under ./data by default
        store = app.state.store
        loaded = load_demo(store.engine, app.state.catalog, settings.samples_dir)
    if loaded:
        typer.echo(
            "Đã nạp tỉnh mẫu (2024–2025: mức chuyển đổi số và DTI cấp xã, dữ liệu minh họa) / "
            "demo province loaded; "
            "tạo tài khoản bằng «certify user add» (create accounts with 'certify user add')"
        )
    shown = "localhost" if host in {"127.0.0.1", "0.0.0.0"} else host
    typer.echo(f"Đang chạy tại / serving at: http://{shown}:{port}/  (API: http://{shown}:{port}/api/docs)")
    # proxy_headers off: uvicorn would believe X-Forwarded-For from loopback; the app believes the proxies of
    # CERTIFY_TRUSTED_PROXIES only (api.edge).
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "warning",
        "access_log": False,
        "proxy_headers": False,
        "server_header": False,
    }
    if workers == 1:
        uvicorn.run(app, **options)
    else:
        # Each worker builds its own app on the database this process has just migrated (and whose secret key
        # it has just created): nothing is shared through memory.
        typer.echo(f"{workers} tiến trình / workers")
        uvicorn.run("api.app:create_app", factory=True, workers=workers, **options)


def register(app: typer.Typer) -> None:
    """Add the web commands to the main app."""
    app.command("serve")(serve)
