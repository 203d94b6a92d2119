"""The page: its context assembled from the sections above, the template chosen, rendered by
jinja2 with autoescaping (statement text is never markup)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateNotFound

from finance.report.html.context import SCRIPT, TEMPLATE, ReportContext
from finance.report.html.detail import (
    bases_table,
    excluded_table,
    sources_table,
    unallocated_table,
    unclassified_table,
)
from finance.report.html.drills import chart_list, drill_list
from finance.report.html.sections import section_views
from finance.report.html.skus import sku_table
from finance.report.html.summary import costs_table, headline, summary_table
from finance.report.html.vat import cost_lines, vat_notes, vat_table
from finance.report.labels import label
from finance.resources import shipped

if TYPE_CHECKING:
    from finance.report import Figures
    from finance.section import Section


def report_context(
    figs: Figures,
    *,
    lang: str = "zh-CN",
    sections: Sequence[Section] = (),
    script: str | None = None,
) -> ReportContext:
    """The page's context, every figure formatted for ``lang``."""
    lang = "zh-CN" if lang == "zh-CN" else "en"
    views = section_views(sections, lang)
    vat = vat_table(figs, lang)
    toc = [
        ("section-summary", label("pnl_by_shop", lang)),
        *([("section-vat", label("vat_heading", lang))] if vat is not None else []),
        ("section-charts", label("waterfall_heading", lang)),
        ("section-skus", label("skus_heading", lang)),
        *([("section-drill", label("drill_heading", lang))] if figs.drill else []),
        ("section-unallocated", label("exceptions_heading", lang)),
        ("section-sources", label("sources_heading", lang)),
        *((f"section-{v.key}", v.heading) for v in views),
    ]
    if script is None:
        script = (shipped("templates") / SCRIPT).read_text(encoding="utf-8")
    return ReportContext(
        lang=lang,
        title=label("title", lang, month=figs.month),
        month=figs.month,
        note=label(
            "costs_positive",
            lang,
            currency=figs.currency or "-",
            period=label(f"period_{figs.period}", lang),
        ),
        headline=headline(figs, lang),
        summary=summary_table(figs, lang),
        skus=sku_table(figs, lang),
        unallocated=unallocated_table(figs, lang),
        bases=bases_table(figs, lang),
        excluded=excluded_table(figs, lang),
        footer=label("generated_by", lang),
        charts=chart_list(figs, lang),
        costs=costs_table(figs, lang),
        unclassified=unclassified_table(figs, lang),
        sources=sources_table(figs, lang),
        drills=drill_list(figs, lang),
        sections=views,
        filter_placeholder=label("filter_placeholder", lang),
        sort_hint=label("sort_hint", lang),
        script=script,
        script_hash=script_hash(script),
        drill_heading=label("drill_heading", lang),
        toc=toc,
        vat=vat,
        vat_notes=vat_notes(figs, lang),
        cost_notes=cost_lines(figs, lang),
        cost_heading=label("costs_heading", lang),
    )


def script_hash(script: str) -> str:
    """The CSP source that allows exactly ``script``: ``'sha256-…'``."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def template_names(figs: Figures) -> list[str]:
    """Which template renders the page: ``report-<shop>.html`` first when the month has one
    shop (a shop name that is not a plain file name is skipped), then ``report.html``."""
    names = []
    shop_names = {shop for _, shop in figs.shops}
    if len(shop_names) == 1:
        shop = next(iter(shop_names))
        if shop and not any(ch in shop for ch in "/\\") and ".." not in shop:
            names.append(f"report-{shop}.html")
    return [*names, TEMPLATE]


def environment(templates: Path | None = None) -> Environment:
    """Jinja2 with autoescaping; ``templates`` (a workspace folder) before the shipped ones."""
    folders = [Path(templates)] if templates is not None else []
    folders.append(shipped("templates"))
    return Environment(
        loader=ChoiceLoader([FileSystemLoader(str(f)) for f in folders]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(
    context: ReportContext, *, templates: Path | None = None, names: Sequence[str] = (TEMPLATE,)
) -> str:
    """The page as text, from the first of ``names`` found (workspace folder first)."""
    env = environment(templates)
    if context.script:  # a workspace's own _report.js replaces the shipped one
        try:
            source = env.loader.get_source(env, SCRIPT)[0]  # type: ignore[union-attr]
        except TemplateNotFound:
            source = context.script
        if source != context.script:
            import dataclasses

            context = dataclasses.replace(context, script=source, script_hash=script_hash(source))
    return env.select_template(list(names)).render(page=context)
