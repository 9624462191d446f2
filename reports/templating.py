"""One jinja2 environment for every report: autoescaping for HTML, Vietnamese number filters."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from certify.numbers import fmt_fixed, fmt_number, fmt_percent
from reports.fonts import CSS_STACK


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=select_autoescape(["html", "html.j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = fmt_number
    env.filters["fixed"] = fmt_fixed
    env.filters["pct"] = fmt_percent
    env.filters["mdcell"] = md_cell
    env.globals["css_stack"] = CSS_STACK
    return env


def md_cell(text: object) -> str:
    """A value safe inside a Markdown table cell: pipes escaped, line breaks flattened."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)
