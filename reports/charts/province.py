"""Province charts with matplotlib, as SVG text (text kept as text in the bundled Noto Sans, so it prints sharp
and stays searchable in the PDF)."""

from __future__ import annotations

import io

from matplotlib.ticker import MaxNLocator

from reports.fonts import matplotlib_ready
from reports.province import TierSummary


def _svg(fig: object) -> str:
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")  # type: ignore[attr-defined]
    plt.close(fig)  # type: ignore[arg-type]
    text = buf.getvalue()
    return text[text.index("<svg") :]  # drop the XML prolog and doctype to inline it in HTML


def _ready() -> object:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    family = matplotlib_ready()
    return plt.rc_context(
        {"font.family": [family, "DejaVu Sans"], "font.size": 9, "svg.fonttype": "none", "svg.hashsalt": "certify"}
    )  # fixed ids: same data, same file


def levels_by_district_svg(t: TierSummary) -> str | None:
    """Units per level, stacked per district, in the level colours; None when no district has more than one
    unit (a bar per unit tells nothing the table does not) or when there is one district only (after the 2025
    merger communes belong to no district: one bar repeats the table above)."""
    import matplotlib.pyplot as plt

    if len(t.districts) <= 1 or all(sum(row.values()) <= 1 for row in t.districts.values()):
        return None
    with _ready():  # type: ignore[attr-defined]
        names = list(t.districts)
        fig, ax = plt.subplots(figsize=(7, 0.5 + 0.35 * len(names) + 0.6))
        left = [0] * len(names)
        for k, level in enumerate(t.levels):
            values = [t.districts[d][level] for d in names]
            ax.barh(
                names,
                values,
                left=left,
                color=t.colours[k],
                label=level,
                edgecolor="white",
            )
            left = [a + b for a, b in zip(left, values, strict=True)]
        ax.invert_yaxis()
        ax.set_xlabel("Số đơn vị")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
        ax.set_title(f"Đơn vị {t.tier_vi} theo mức độ và theo huyện")
        return _svg(fig)


def blockers_svg(t: TierSummary) -> str | None:
    """Units kept from their next level by each criterion; None when every criterion blocks as many units."""
    import matplotlib.pyplot as plt

    if len({b["count"] for b in t.blockers}) <= 1:
        return None
    with _ready():  # type: ignore[attr-defined]
        rows = t.blockers[::-1]
        fig, ax = plt.subplots(figsize=(7, 0.6 + 0.3 * max(1, len(rows))))
        ax.barh([r["code"] for r in rows], [r["count"] for r in rows], color="#b71c1c")
        ax.set_xlabel("Số đơn vị bị chặn ở mức tiếp theo")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(f"Tiêu chí chặn nhiều đơn vị {t.tier_vi} nhất")
        return _svg(fig)
