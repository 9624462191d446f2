"""`python -m pytest` runs the suite on every core with pytest-xdist (one worker per CPU), unless told otherwise.

A pytest plugin, loaded by the root conftest.py. The default lives here rather than in `addopts`, so that a plain
run can still turn xdist off: `-n 0` (one process, xdist loaded) and `-p no:xdist` (xdist not loaded at all) both
work, and so does an environment without pytest-xdist. `-n N` and `--dist MODE` given on the command line win.

How the tests are shared out (the default only; an explicit `--dist` uses xdist's own scheduler):
* a test module runs whole on one worker, so its module and class fixtures are built once;
* modules marked with the same `pytest.mark.xdist_group(name)` run together on one worker: they share a costly
  session fixture (the site survey at one width, tests/api/site_survey.py, is read by the layout and
  accessibility tests of that width, so the two widths are walked at the same time on two workers);
* the groups start first, then the modules with the most tests, so that no long unit is left to run alone at the end.

Resources a worker must not share: each worker has its own tmp_path root (xdist), its own PostgreSQL database
(tests/store/conftest.py), its own Chromium and live servers on free ports (tests/api/live_server.py) and its own
catalog cache folder (tests/conftest.py). The hypothesis example database (`.hypothesis/`) is shared on purpose: its
writes are atomic renames of content-named files, and a failing example replays whichever worker runs the test next.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

_DEFAULT = pytest.StashKey[bool]()


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """One worker per CPU when neither `-n` nor `--dist` was given (before xdist reads its options)."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    if hasattr(config, "workerinput") or os.environ.get("PYTEST_XDIST_WORKER"):
        return  # a worker (xdist resets its -n to None), or a pytest that a test started inside one: never nested
    option = config.option
    if option.numprocesses is None and option.dist == "no" and not option.tx and not option.distload:
        option.numprocesses = "auto"
        option.dist = "loadgroup"  # the workers mark grouped tests (`…@name`) for the scheduler below
        config.stash[_DEFAULT] = True


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Tell each worker the COLUMNS of the run that starts it: a worker's own environment says 80, and the CLI's
    rich console, made when certify.cli.common is first imported, would keep that width for the whole worker."""
    node.workerinput["certify_columns"] = os.environ.get("COLUMNS")
    # A worker parses only the command line, without the default set above: tell it to mark grouped tests.
    node.workerinput["certify_groups"] = node.config.stash.get(_DEFAULT, False)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None or "certify_columns" not in workerinput:
        return
    if workerinput.get("certify_groups"):
        config.option.loadgroup = True  # xdist then names grouped tests `…@group` for the scheduler
    if workerinput["certify_columns"] is None:
        os.environ.pop("COLUMNS", None)
    else:
        os.environ["COLUMNS"] = workerinput["certify_columns"]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if not config.stash.get(_DEFAULT, False):
        return None  # an explicit --dist: xdist's own scheduler
    from xdist.scheduler import LoadScopeScheduling

    class ModulesAndGroups(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.rfind("@") > nodeid.rfind("]"):  # a grouped test: `path::test[params]@group`
                return "@" + nodeid.rsplit("@", 1)[1]
            return nodeid.split("::", 1)[0]

        def _assign_work_unit(self, node: Any) -> None:
            if not getattr(self, "_ordered", False):  # the first hand-out: groups first, then the biggest modules
                units = sorted(self.workqueue.items(), key=lambda u: (not u[0].startswith("@"), -len(u[1])))
                self.workqueue.clear()
                self.workqueue.update(units)
                self._ordered = True
            super()._assign_work_unit(node)

    return ModulesAndGroups(config, log)
