"""Share of criteria met per pillar: the measure both radar renderings draw."""

from __future__ import annotations

from dataclasses import dataclass

from certify.levels.evaluate import Evaluation, Status

MET = (Status.MET, Status.NA_DEEMED_MET)


@dataclass(frozen=True, slots=True)
class PillarShare:
    pillar: str
    name: str
    met: int
    total: int  # criteria that count at the level (excluded «not applicable» ones left out)

    @property
    def share(self) -> float:
        return self.met / self.total if self.total else 0.0


def pillar_shares(ev: Evaluation, level: str) -> list[PillarShare]:
    """Criteria met / criteria that count, per pillar, at `level` (framework pillar order)."""
    met: dict[str, int] = {}
    total: dict[str, int] = {}
    by_code = ev.fw.criterion_by_code
    for r in ev.results(level):
        if r.status is Status.NA_EXCLUDED:
            continue
        pillar = by_code[r.code].pillar
        total[pillar] = total.get(pillar, 0) + 1
        met[pillar] = met.get(pillar, 0) + (r.status in MET)
    return [PillarShare(p.id, p.name, met.get(p.id, 0), total[p.id]) for p in ev.fw.pillars if total.get(p.id)]
