"""Deep nesting is refused with the same message whichever libyaml PyYAML was built with.

libyaml 0.2.5 as bundled in some PyYAML wheels refuses deep input itself («exceeded maximum nesting depth»)
while scanning ahead, before our own depth count sees the event; the user must still read our message."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from certify import sourcefile
from certify.errors import CertifyError
from certify.limits import current


def _text(depth: int) -> str:
    return "".join(f"{'  ' * i}k{i}:\n" for i in range(depth)) + f"{'  ' * depth}1\n"


def test_our_depth_limit_names_the_line() -> None:
    most = current().yaml_max_depth
    with pytest.raises(CertifyError) as caught:
        sourcefile.parse_text(_text(most + 5), "deep.yaml")
    (problem,) = caught.value.problems
    assert problem.code == "too-deep"
    assert f"tối đa {most} cấp" in problem.vi and f"at most {most} levels" in problem.en
    assert problem.line == most + 1


def test_a_libyaml_nesting_refusal_reads_as_ours(monkeypatch: pytest.MonkeyPatch) -> None:
    def refusing(text: str) -> Iterator[Any]:
        mark = yaml.Mark("<unicode string>", 0, 6, 0, None, None)
        raise yaml.parser.ParserError(None, None, "exceeded maximum nesting depth", mark)
        yield  # pragma: no cover

    monkeypatch.setattr(sourcefile, "_events", refusing)
    with pytest.raises(CertifyError) as caught:
        sourcefile.parse_text(_text(3), "deep.yaml")
    (problem,) = caught.value.problems
    assert problem.code == "too-deep"
    assert "Lồng nhau quá sâu" in problem.vi and "Nested too deeply" in problem.en
    assert problem.line == 7 and problem.file == "deep.yaml"
