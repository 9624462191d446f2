"""`certify serve`: the web application on uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer


def serve(
    host: Annotated[str, typer.Option("--host", help="Địa chỉ lắng nghe (listen address)")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Cổng (port)", min=1, max=65535)] = 8000,
) -> None:
    """Chạy ứng dụng web (start the web application)."""
    import uvicorn  # imported here so the other commands start without the web stack

    from api.app import create_app
    from certify.settings import get_settings
    from certify.store.demo import load_demo

    settings = get_settings()
    app = create_app(settings)  # the database of CERTIFY_DATABASE_URL, SQLite under ./data by default
    store = app.state.store
    if load_demo(store.engine, app.state.catalog, settings.samples_dir):
        typer.echo(
            "Đã nạp tỉnh mẫu (2024–2025: mức chuyển đổi số và DTI cấp xã, dữ liệu minh họa) / "
            "demo province loaded; "
            "tạo tài khoản bằng «certify user add» (create accounts with 'certify user add')"
        )
    shown = "localhost" if host in {"127.0.0.1", "0.0.0.0"} else host
    typer.echo(f"Đang chạy tại / serving at: http://{shown}:{port}/  (API: http://{shown}:{port}/api/docs)")
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


def register(app: typer.Typer) -> None:
    """Add the web commands to the main app."""
    app.command("serve")(serve)
