"""A process that has imported the CLI once and forks a child per command, so that a kill -9 loop can start
and kill real `certify …` processes many times without paying Python's start-up each time.

Protocol on stdin/stdout, one JSON line each:
  {"run": ["import", "f.xlsx", "--cycle", "3"], "env": {...}}  →  {"pid": 1234}
  {"wait": 1234}                                               →  {"status": -9} (negative: killed by that signal)
The child runs the command exactly as `certify` would (`certify.cli.app.main`) and exits with its code.
"""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    import importlib

    from certify.cli import app as cli

    # what the commands under test import when they run: loaded once here, shared by every child
    for name in ("certify.intake.importer", "certify.store.dti_results", "certify.store.certification", "psycopg"):
        importlib.import_module(name)
    for line in sys.stdin:
        request = json.loads(line)
        if "run" in request:
            pid = os.fork()
            if pid == 0:  # the child: a fresh `certify` run
                os.environ.update(request.get("env", {}))
                sys.argv = ["certify", *request["run"]]
                devnull = os.open(os.devnull, os.O_RDWR)
                os.dup2(devnull, 0)
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
                code = 0
                try:
                    cli.main()
                except SystemExit as exc:
                    code = exc.code if isinstance(exc.code, int) else 1
                except BaseException:
                    code = 70
                os._exit(code)
            print(json.dumps({"pid": pid}), flush=True)
        elif "wait" in request:
            _, status = os.waitpid(int(request["wait"]), 0)
            code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
            print(json.dumps({"status": code}), flush=True)


if __name__ == "__main__":
    main()
