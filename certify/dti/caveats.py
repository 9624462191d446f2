"""What every DTI output must say beside its numbers: the framework's banner, and how many points rest on
our reading of the decision rather than on its text.

A criterion whose method or parameters are inferred (`status: inferred` or `missing`: a formula the
decision names without giving it, a cap it does not state) always counts; a criterion that a peer-maximum
rule of inferred scope may give its peers' best points counts only for the units the rule touches, so it
is said apart («up to»). A main index with inferred weights (fitted to published results) counts whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from certify.dti.model import Criterion, DtiFramework
from certify.dti.numbers import fmt
from certify.provenance import Evidence

UNSURE = frozenset({Evidence.INFERRED, Evidence.MISSING})


@dataclass(frozen=True)
class InferredShare:
    """Points of the framework that rest on inferred readings."""

    max_points: float
    points: float  # criteria (or indices) inferred for every unit
    codes: tuple[str, ...]
    conditional_points: float  # criteria inferred only for units under an inferred peer-maximum rule
    conditional_codes: tuple[str, ...]
    indices: bool  # the inferred items are main-index weights, not criteria

    def _text(self, t: dict[str, str]) -> str:
        what = t["indices"] if self.indices else t["criteria"]
        text = t["head"].format(points=fmt(self.points), top=fmt(self.max_points)) + (
            f" ({len(self.codes)} {what}: {code_list(self.codes)})"
        )
        if self.conditional_codes:
            text += t["more"].format(
                points=fmt(self.conditional_points),
                n=len(self.conditional_codes),
                codes=code_list(self.conditional_codes),
            )
        return text

    @property
    def vi(self) -> str:
        return self._text(_VI)

    @property
    def en(self) -> str:
        return self._text(_EN)


_VI = {
    "head": "Điểm dựa trên cách đọc suy luận, không phải văn bản: {points}/{top} điểm",
    "indices": "trọng số chỉ số chính",
    "criteria": "tiêu chí",
    "more": "; thêm tối đa {points} điểm ở {n} tiêu chí ({codes}) với đơn vị áp dụng quy tắc điểm cao nhất",
}
_EN = {
    "head": "Points resting on inferred readings, not on the text: {points} of {top}",
    "indices": "main-index weights",
    "criteria": "criteria",
    "more": "; up to {points} more on {n} criteria ({codes}) for units under the peer-maximum rules",
}


def _key(code: str) -> tuple[int, ...]:
    return tuple(int(p) for p in code.split("."))


def code_list(codes: tuple[str, ...] | list[str]) -> str:
    """`6.8, 6.9, 6.10, 6.11, 4.5` → `4.5, 6.8–6.11`: runs of consecutive codes of one parent shortened."""
    ordered = sorted(codes, key=_key)
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) > 2:
            out.append(f"{run[0]}–{run[-1]}")
        else:
            out.extend(run)
        run.clear()

    for code in ordered:
        if run and _key(code)[:-1] == _key(run[-1])[:-1] and _key(code)[-1] == _key(run[-1])[-1] + 1:
            run.append(code)
            continue
        flush()
        run.append(code)
    flush()
    return ", ".join(out)


def _counted(fw: DtiFramework, unsure: set[str]) -> list[Criterion]:
    """Criteria counted once: a sub-criterion only when its parent is not counted already."""
    return [c for c in fw.criteria if c.code in unsure and (c.parent_code is None or c.parent_code not in unsure)]


def inferred_share(fw: DtiFramework) -> InferredShare | None:
    """None when every point of the framework rests on its text."""
    top = fw.max_points
    if fw.index_level_only:
        indices = [i for i in fw.scored_indices if i.status in UNSURE and i.effective_weight > 0]
        if not indices:
            return None
        return InferredShare(
            top, sum(i.max_points for i in indices), tuple(i.code for i in indices), 0.0, (), indices=True
        )
    unsure = {c.code for c in fw.criteria if c.status in UNSURE}
    certain = _counted(fw, unsure)
    peer = {code for rule in fw.rules.peer_maximum if rule.status in UNSURE for code in rule.criteria}
    conditional = [c for c in _counted(fw, peer) if c.code not in unsure and (c.parent_code or "") not in unsure]
    if not certain and not conditional:
        return None
    return InferredShare(
        top,
        sum(c.max_points for c in certain),
        tuple(c.code for c in certain),
        sum(c.max_points for c in conditional),
        tuple(c.code for c in conditional),
        indices=False,
    )


def caveats(fw: DtiFramework) -> list[tuple[str, str]]:
    """(vi, en) lines every output of a scoring with `fw` carries: its banner, then the inferred share."""
    out: list[tuple[str, str]] = []
    if fw.banner:
        out.append(fw.banner)
    share = inferred_share(fw)
    if share is not None:
        out.append((share.vi, share.en))
    return out
