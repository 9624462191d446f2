"""`certify user disable | enable | reset-password`: the account commands beyond `add` and `list`.

They join the `certify user` group that `certify.cli.store_cmd` creates; Typer reads a group's commands when
the CLI runs, so registering them here (entry point `users`) works whatever order the entry points load in.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from certify.cli.common import YesFlag, actor, confirm_change, console, database
from certify.cli.store_cmd import user_app

Username = Annotated[str, typer.Argument(help="Tên đăng nhập (username)")]


def user_disable(username: Username, yes: YesFlag = False) -> None:
    """Khóa tài khoản: không đăng nhập được, phiên đang mở kết thúc (disable an account; its sessions end)."""
    from certify.store.accounts import set_active

    confirm_change(
        [f"Tài khoản {username}: khóa, mọi phiên đang mở kết thúc (disable; its open sessions end)"],
        f"Khóa tài khoản {username}",
        f"Disable account {username}",
        yes,
    )

    with database(write=True) as s:
        set_active(s, username, False, actor=actor())
    console.print(f"Đã khóa / disabled: {username}")


def user_enable(username: Username) -> None:
    """Mở khóa tài khoản (enable an account again)."""
    from certify.store.accounts import set_active

    with database(write=True) as s:
        set_active(s, username, True, actor=actor())
    console.print(f"Đã mở khóa / enabled: {username}")


def user_reset_password(
    username: Username,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Đọc mật khẩu mới từ stdin thay vì tạo mật khẩu tạm thời "
            "(read the new password instead of generating one)",
        ),
    ] = False,
    yes: YesFlag = False,
) -> None:
    """Đặt lại mật khẩu; in mật khẩu tạm thời một lần (reset the password; the temporary one is printed once)."""
    from certify.store.accounts import reset_password

    chosen = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    confirm_change(
        [f"Tài khoản {username}: mật khẩu cũ hết hiệu lực, mọi phiên kết thúc (the old password stops working)"],
        f"Đặt lại mật khẩu của {username}",
        f"Reset the password of {username}",
        yes,
    )
    with database(write=True) as s:
        password = reset_password(s, username, actor=actor(), new_password=chosen)
    console.print(f"Đã đặt lại mật khẩu / password reset: {username}")
    if chosen is None:
        # Plain echo, not rich: the password must come out exactly as generated, once, and nowhere else.
        typer.echo(f"Mật khẩu tạm thời / temporary password: {password}")


def register(app: typer.Typer) -> None:
    """Add the commands to `certify user` (the group itself is registered by the storage commands)."""
    user_app.command("disable")(user_disable)
    user_app.command("enable")(user_enable)
    user_app.command("reset-password")(user_reset_password)
