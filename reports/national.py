"""The national run: every commune of the 34 provinces after the 1 July 2025 merger certified, DTI-scored and
summarised per province, in one process (`certify national-run`).

What it is for: a full-scale trial of the whole chain — the administrative map, intake, certification, the DTI
index scale, the province summary with its ranking — on values generated deterministically from the sample
framework (`certify.plan.synthetic`), so that a province sees what its own run will produce and how long it takes.
The values are no unit's real figures: every page says so, beside the sample framework's banner.

Stages, each timed: the map (3,321 communes of `vietnam-provinces`), the values, intake (every value checked, as a
file's), levels, DTI (main-index values per commune, scored and ranked province by province with an index-level
framework), the summaries, then per province an HTML page and an XLSX workbook (and a PDF with `pdf=True`) written
by `jobs` processes at once, and a national index page with its JSON twin.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from markupsafe import escape

from certify.catalog import Catalog, Resolved, default_catalog
from certify.dti.model import DtiFramework
from certify.dti.score_file import load_dti, score_table
from certify.dti.table import Table
from certify.errors import CertifyError
from certify.levels.assessment import Assessment, BoundAssessment, bind
from certify.levels.compiled import compile_framework
from certify.levels.evaluate import Evaluation, evaluate_many
from certify.levels.model import IndicatorType, LevelFramework
from certify.numbers import fmt_fixed
from certify.plan.synthetic import synthetic_values
from certify.store.unit_sources import RawUnit, current_units
from reports.provenance import provenance_line
from reports.province import DtiInput, ProvinceSummary, dti_rows, summarise

LEVEL_FRAMEWORK = "sample-2361-commune"
DTI_FRAMEWORK = "vinh-long-2554-commune"
SYNTHETIC = (
    "Số liệu mô phỏng của lần chạy thử toàn quốc — không phải số liệu thật của đơn vị nào",
    "Synthetic values of the national trial run — no unit's real figures",
)
Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class Stage:
    name: str
    seconds: float
    detail: str = ""


@dataclass(frozen=True)
class ProvinceOutput:
    code: str
    name: str
    folder: str  # relative to the run's folder
    communes: int
    counts: dict[str, int]  # units per level name
    dti_top: str | None  # the first-ranked commune
    files: tuple[str, ...]


@dataclass
class NationalRun:
    out: Path
    year: int
    provinces: list[ProvinceOutput] = field(default_factory=list)
    stages: list[Stage] = field(default_factory=list)
    progress: Progress | None = None

    @property
    def communes(self) -> int:
        return sum(p.communes for p in self.provinces)

    @property
    def seconds(self) -> float:
        return sum(s.seconds for s in self.stages)

    @contextmanager
    def stage(self, name: str, detail: str = "", total: int = 1) -> Iterator[None]:
        """A timed stage, announced to `progress` as it starts and ends."""
        if self.progress:
            self.progress(name, 0, total)
        start = time.perf_counter()
        yield
        self.stages.append(Stage(name, time.perf_counter() - start, detail))
        if self.progress:
            self.progress(name, total, total)


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def _chosen(units: list[RawUnit], only: Sequence[str] | None) -> tuple[list[RawUnit], list[RawUnit]]:
    provinces = [u for u in units if u.tier == "province"]
    if only:
        wanted = {w.strip() for w in only}
        known = {p.code for p in provinces} | {slug(p.name) for p in provinces}
        unknown = sorted(w for w in wanted if w not in known and slug(w) not in known)
        if unknown:
            raise CertifyError.one(
                "unknown-province",
                f"Không có tỉnh/thành phố «{unknown[0]}» trong bản đồ sau sắp xếp",
                f"No province '{unknown[0]}' on the post-merger map",
                expected="mã (01, 79, …) hoặc tên / a code or a name: "
                + ", ".join(p.code for p in provinces[:6])
                + " …",
                found=unknown[0],
            )
        provinces = [p for p in provinces if p.code in wanted or slug(p.name) in {slug(w) for w in wanted}]
    codes = {p.code for p in provinces}
    communes = [u for u in units if u.tier == "commune" and u.province_code in codes]
    return provinces, communes


def _records(fw: LevelFramework, communes: list[RawUnit], values: np.ndarray, year: int) -> Iterator[dict[str, Any]]:
    """Each commune's values as its assessment file would hold them."""
    kinds = [c.indicator.type if c.indicator else IndicatorType.NUMBER for c in fw.criteria]
    codes = [c.code for c in fw.criteria]
    for unit, row in zip(communes, values.tolist(), strict=True):
        out: dict[str, Any] = {}
        for code, kind, x in zip(codes, kinds, row, strict=True):
            if x != x:  # missing: left out, as in a file
                continue
            out[code] = x >= 1 if kind is IndicatorType.BOOLEAN else int(x) if kind is IndicatorType.COUNT else x
        yield {
            "unit": unit.code,
            "unit_name": unit.name,
            "tier": "commune",
            "year": year,
            "framework": fw.ref,
            "values": out,
        }


def _dti_table(fw: DtiFramework, evaluations: list[Evaluation], rng: np.random.Generator, name: str) -> Table:
    """Main-index values (0–1) of each commune, rising with its level (and noise), as a cohort file's cells."""
    indices = [i.code for i in fw.indices]
    level = np.array([ev.level_index + 1 for ev in evaluations], dtype=float) / (len(evaluations[0].fw.levels) + 1)
    columns = [
        [ev.unit.assessment.unit for ev in evaluations],
        [ev.unit.assessment.unit_name or "" for ev in evaluations],
    ]
    for _ in indices:
        value = np.clip(0.25 + 0.6 * level + rng.normal(0, 0.12, len(evaluations)), 0.0, 1.0)
        columns.append([f"{v:.4f}" for v in value.tolist()])
    return Table(f"{name} (mô phỏng)", None, ["unit", "name", *indices], columns, list(range(2, len(evaluations) + 2)))


def _summaries(
    provinces: list[RawUnit],
    by_province: dict[str, list[Evaluation]],
    dti: dict[str, DtiInput],
    year: int,
) -> dict[str, ProvinceSummary]:
    out = {}
    for p in provinces:
        s = summarise(by_province[p.code], year, dti=dti[p.code], province=p.name)
        s.banners = [SYNTHETIC, *s.banners]
        out[p.code] = s
    return out


def _warm() -> None:
    """A worker loads the renderers (and matplotlib's fonts) while the main process computes the data."""
    from reports.charts.province import _ready
    from reports.province_pdf import render_province_html
    from reports.province_xlsx import render_province_xlsx

    del render_province_html, render_province_xlsx
    _ready()


def _write_province(job: tuple[ProvinceSummary, str]) -> tuple[str, ...]:
    """One province's HTML page and XLSX workbook: run in a worker process."""
    from reports.province_pdf import render_province_html
    from reports.province_xlsx import render_province_xlsx

    summary, folder = job
    base = Path(folder)
    base.mkdir(parents=True, exist_ok=True)
    (base / "tong-hop.html").write_text(render_province_html(summary), encoding="utf-8")
    (base / "tong-hop.xlsx").write_bytes(render_province_xlsx(summary))
    return ("tong-hop.html", "tong-hop.xlsx")


def _write_pdf(job: tuple[ProvinceSummary, str]) -> tuple[str, ...]:
    """One province's summary printed to PDF (WeasyPrint): run in a worker process."""
    from reports.province_pdf import render_province_pdf

    summary, folder = job
    (Path(folder) / "tong-hop.pdf").write_bytes(render_province_pdf(summary))
    return ("tong-hop.pdf",)


@contextmanager
def _workers(jobs: int) -> Iterator[ProcessPoolExecutor | None]:
    """`jobs` worker processes, started at once so that they load the renderers while the data is computed."""
    if jobs <= 1:
        yield None
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_warm) as pool:
        for _ in range(jobs):
            pool.submit(int)
        yield pool


def _data(
    run: NationalRun, catalog: Catalog, seed: int, provinces: Sequence[str] | None
) -> tuple[list[RawUnit], dict[str, ProvinceSummary], LevelFramework]:
    """The map, the values, intake, levels, DTI and the summaries, each stage timed."""
    with run.stage("bản đồ hành chính / administrative map"):
        chosen, communes = _chosen(current_units(), provinces)
    with run.stage("số liệu mô phỏng / synthetic values", f"{len(communes):,} xã, phường, đặc khu"):
        resolved: Resolved = catalog.load(LEVEL_FRAMEWORK)
        fw = resolved.framework
        assert isinstance(fw, LevelFramework)
        values, _ = synthetic_values(compile_framework(resolved), len(communes), seed=seed)
        records = list(_records(fw, communes, values, run.year))
    with run.stage("kiểm tra số liệu / intake"):
        bound: list[BoundAssessment] = [bind(fw, Assessment.model_validate(r)) for r in records]
    with run.stage("mức độ / levels"):
        evaluations = evaluate_many(resolved, bound)
    by_province: dict[str, list[Evaluation]] = {p.code: [] for p in chosen}
    for unit, ev in zip(communes, evaluations, strict=True):
        by_province[unit.province_code].append(ev)
    with run.stage("DTI (chấm điểm, xếp hạng từng tỉnh)"):
        dti = _dti(catalog, chosen, by_province, seed)
    with run.stage("tổng hợp tỉnh / province summaries"):
        summaries = _summaries(chosen, by_province, dti, run.year)
    return chosen, summaries, fw


def _dti(
    catalog: Catalog, chosen: list[RawUnit], by_province: dict[str, list[Evaluation]], seed: int
) -> dict[str, DtiInput]:
    """Each province's communes scored on the index-level DTI scale and ranked among themselves."""
    resolved = load_dti(DTI_FRAMEWORK, catalog)
    fw = resolved.framework
    assert isinstance(fw, DtiFramework)
    ident = {"id": fw.id, "version": fw.version, "status": fw.status.value, "content_hash": resolved.content_hash}
    line = provenance_line(ident).replace("Bộ tiêu chí", "Bộ chỉ số DTI", 1) + (
        " — thang điểm xã của Vĩnh Long, dùng cho mọi tỉnh trong lần chạy thử (Vĩnh Long's commune scale, used for "
        "every province in the trial run)"
    )
    rng = np.random.default_rng(seed)
    out = {}
    for p in chosen:
        results = score_table(_dti_table(fw, by_province[p.code], rng, p.name), fw)
        out[p.code] = DtiInput(dti_rows(results), line, fw.banner)
    return out


def _in_workers(
    run: NationalRun,
    pool: ProcessPoolExecutor | None,
    processes: int,
    label: str,
    fn: Callable[[tuple[ProvinceSummary, str]], tuple[str, ...]],
    todo: list[tuple[ProvinceSummary, str]],
) -> list[tuple[str, ...]]:
    """`fn` for every province, in the worker processes (or here without), as one timed stage."""
    written: list[tuple[str, ...]] = []
    name = f"{label} ({processes} tiến trình / processes)"
    with run.stage(name, f"{len(todo)} tỉnh", total=len(todo)):
        for files in pool.map(fn, todo) if pool is not None else map(fn, todo):
            written.append(files)
            if run.progress and len(written) < len(todo):
                run.progress(name, len(written), len(todo))
    return written


def national_run(
    out: Path,
    *,
    year: int = 2025,
    seed: int = 2025,
    provinces: Sequence[str] | None = None,
    pdf: bool = False,
    jobs: int = 2,
    catalog: Catalog | None = None,
    progress: Progress | None = None,
) -> NationalRun:
    """Run the whole chain for the chosen provinces (all 34 by default) and write the outputs under `out`."""
    catalog = catalog or default_catalog()
    run = NationalRun(out, year, progress=progress)
    with _workers(jobs) as pool:
        chosen, summaries, fw = _data(run, catalog, seed, provinces)
        folders = {p.code: f"{p.code}-{slug(p.name)}" for p in chosen}
        out.mkdir(parents=True, exist_ok=True)
        todo = [(summaries[p.code], str(out / folders[p.code])) for p in chosen]
        written = _in_workers(run, pool, max(jobs, 1), "HTML, XLSX", _write_province, todo)
        if pdf:
            printed = _in_workers(run, pool, max(jobs, 1), "PDF", _write_pdf, todo)
            written = [a + b for a, b in zip(written, printed, strict=True)]
    for p, files in zip(chosen, written, strict=True):
        s = summaries[p.code]
        tier = s.tiers[0]
        top = next((r for r in s.dti if r.rank == 1), None)
        run.provinces.append(
            ProvinceOutput(
                p.code,
                p.name,
                folders[p.code],
                len(tier.units),
                dict(tier.counts),
                f"{top.name} ({fmt_fixed(top.value, 4)})" if top else None,
                files,
            )
        )
    with run.stage("trang tổng hợp toàn quốc / national index"):
        write_index(run, fw.banner)
    return run


def write_index(run: NationalRun, banner: tuple[str, str] | None) -> None:
    """`index.html` (a row per province with links to its files) and its JSON twin `index.json`."""
    levels = list(run.provinces[0].counts) if run.provinces else []
    banners = [SYNTHETIC, *([banner] if banner else [])]
    data = {
        "year": run.year,
        "communes": run.communes,
        "banners": [list(b) for b in banners],
        "levels": levels,
        "provinces": [p.__dict__ for p in run.provinces],
    }
    (run.out / "index.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    head = "".join(f"<th>{escape(lv)}</th>" for lv in levels)
    rows = []
    for p in run.provinces:
        links = " · ".join(
            f'<a href="{escape(p.folder)}/{escape(f)}">{escape(f.rsplit(".", 1)[1].upper())}</a>' for f in p.files
        )
        cells = "".join(f'<td class="num">{p.counts[lv]}</td>' for lv in levels)
        rows.append(
            f"<tr><td>{escape(p.code)}</td><td>{escape(p.name)}</td><td class='num'>{p.communes}</td>{cells}"
            f"<td>{escape(p.dti_top or '')}</td><td>{links}</td></tr>"
        )
    notes = "".join(f'<div class="banner">⚠ {escape(vi)} <small>({escape(en)})</small></div>' for vi, en in banners)
    html = f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chạy thử toàn quốc {run.year} — {run.communes:,} xã, phường, đặc khu</title>
<style>body{{font-family:"Noto Sans",sans-serif;margin:1rem;}} table{{border-collapse:collapse;}}
td,th{{border:1px solid #999;padding:.25rem .5rem;}} .num{{text-align:right;}}
.banner{{background:#fff3cd;border:1px solid #b58900;padding:.5rem;margin-bottom:.5rem;}}
.wrap{{overflow-x:auto;}}</style></head><body>
{notes}
<h1>Mức độ chuyển đổi số cấp xã năm {run.year} — {len(run.provinces)} tỉnh, thành phố;
{run.communes:,} xã, phường, đặc khu</h1>
<div class="wrap"><table><thead><tr><th>Mã</th><th>Tỉnh, thành phố</th><th>Số xã</th>{head}
<th>Đứng đầu DTI</th><th>Tệp</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table></div>
</body></html>
"""
    (run.out / "index.html").write_text(html, encoding="utf-8")
