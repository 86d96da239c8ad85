"""A self-contained HTML report: sections of text, tables and figures (PNG embedded as base64).

The page needs no network: no scripts or styles are fetched, figures are inline images, and
tables are plain HTML (sortable with a few lines of inline JavaScript).
"""
from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;color:#222}
h1{font-size:1.6rem}h2{font-size:1.25rem;border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}th,td{padding:.25rem .6rem;border-bottom:1px solid #eee;text-align:right}
th{cursor:pointer;background:#f6f6f6}td:first-child,th:first-child{text-align:left}
.kpis{display:flex;flex-wrap:wrap;gap:1rem}.kpi{background:#f6f8fa;border-radius:6px;padding:.6rem 1rem}
.kpi b{display:block;font-size:1.3rem}figure{margin:1rem 0}figcaption{font-size:.85rem;color:#555}
"""
_SORT_JS = """
document.querySelectorAll('table.sortable th').forEach((th,i)=>th.addEventListener('click',()=>{
 const t=th.closest('table'),b=t.tBodies[0],rows=[...b.rows],asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';
 const v=r=>{const s=r.cells[i].innerText.replace(/[,$%]/g,'');const n=parseFloat(s);return isNaN(n)?s:n};
 rows.sort((a,c)=>{const x=v(a),y=v(c);return (x>y?1:x<y?-1:0)*(asc?1:-1)});rows.forEach(r=>b.appendChild(r))}));
"""


def _number(x: float) -> str:
    """Readable numbers in tables: whole thousands with separators, small ones with 3 significant digits."""
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:,.3g}"


@dataclass
class Section:
    title: str
    parts: list[str] = field(default_factory=list)

    def text(self, s: str) -> Section:
        self.parts.append(f"<p>{html.escape(s)}</p>")
        return self

    def kpis(self, items: dict[str, Any]) -> Section:
        cells = "".join(f'<div class="kpi">{html.escape(str(k))}<b>{html.escape(str(v))}</b></div>'
                        for k, v in items.items())
        self.parts.append(f'<div class="kpis">{cells}</div>')
        return self

    def table(self, df: pd.DataFrame, caption: str | None = None, max_rows: int = 50) -> Section:
        if caption:
            self.parts.append(f"<h3>{html.escape(caption)}</h3>")
        self.parts.append(df.head(max_rows).to_html(index=False, classes="sortable", border=0,
                                                    float_format=_number))
        return self

    def figure(self, fig: Any, caption: str) -> Section:
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
        data = base64.b64encode(buf.getvalue()).decode("ascii")
        self.parts.append(f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{data}">'
                          f"<figcaption>{html.escape(caption)}</figcaption></figure>")
        return self


@dataclass
class Report:
    title: str
    sections: list[Section] = field(default_factory=list)

    def section(self, title: str) -> Section:
        s = Section(title)
        self.sections.append(s)
        return s

    def to_html(self) -> str:
        body = "".join(f'<section id="{html.escape(s.title.lower().replace(" ", "-"))}"><h2>'
                       f"{html.escape(s.title)}</h2>{''.join(s.parts)}</section>" for s in self.sections)
        return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(self.title)}</title>"
                f"<style>{_STYLE}</style></head><body><h1>{html.escape(self.title)}</h1>{body}"
                f"<script>{_SORT_JS}</script></body></html>")

    def write(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "index.html"
        path.write_text(self.to_html(), encoding="utf-8")
        return path
