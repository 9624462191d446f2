"""The migrations form one line: every engineer's revision hangs on the one before, and `alembic heads` is one."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from certify.store.migrate import alembic_config


def test_one_head_and_a_linear_chain() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, script.get_heads()
    revisions = list(script.walk_revisions())
    assert all(r.down_revision is None or isinstance(r.down_revision, str) for r in revisions)  # no merge points
    assert "0006_evidence_files" in {r.revision for r in revisions}
