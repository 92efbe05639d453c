"""The negotiation pack as a PDF (DESIGN section 7): a one-page summary, then the evidence.

Page 1 is what a procurement lead or CFO reads first: the recommendation (or the close call),
the money, the notice deadline and the three strategies side by side, with every warning.
Then the evidence a buyer brings to the account executive (:mod:`analyzer.reports.pack`), the
charts (:mod:`analyzer.reports.pdf_charts`), the stability of the recommendation, the dated
exit plan and every price used with its source, date, age and confidence.

Laid out with fpdf2 in DejaVu Sans, the TrueType font matplotlib ships, so currency symbols and
accented names print. Text from catalogs and profiles is written as plain text: fpdf2's
markdown is never enabled, so ``**`` or ``<b>`` in a name prints as typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import matplotlib as mpl
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from analyzer.formatting import MISSING, money, percent
from analyzer.reports.pack import (
    NO_PEER_PRICES,
    break_even_texts,
    price_against_list,
    side_by_side,
    source_rows,
    walk_away_options,
)
from analyzer.reports.pdf_charts import (
    cumulative_cost_png,
    rank_stability_png,
    value_for_money_png,
)
from analyzer.reports.tables import rank_stability_table, recommended_exit_plan
from analyzer.warning_rules import PRICE_WARNING_KINDS

if TYPE_CHECKING:
    from analyzer.analysis import AnalysisResult

FONT = "DejaVu"
FONT_FOLDER = Path(mpl.get_data_path()) / "fonts" / "ttf"
"""matplotlib's own copy of DejaVu Sans: installed with it, nothing to download."""
WARNING_FILL = (255, 243, 196)
"""Background of a warning's line: the pale amber of the app's warnings."""
_HEADING_FILL = (240, 244, 248)
"""Background of a table's header row."""
_CELL_PADDING = 0.8
"""Space in mm between a table cell's frame and its text, on every side."""
_BULLET_LINE = 4.3
"""Height in mm of a line of a bulleted paragraph."""
_URGENCY = {
    "passed": "has passed: the contract renews whatever is decided",
    "near": "is near",
    "ahead": "is ahead",
}


class _GridRow(NamedTuple):
    """A table row ready to write: each cell's lines, and the row's height in mm."""

    cells: list[list[str]]
    height: float


def _cut(word: str, limit: float, advance: Mapping[int, float]) -> list[str]:
    """``word`` cut into pieces no wider than ``limit`` (in the units of ``advance``, a
    character's width by code point); each piece holds at least one character."""
    pieces = []
    start = 0
    used = 0.0
    for index, char in enumerate(word):
        size = advance[ord(char)]
        if used + size > limit and index > start:
            pieces.append(word[start:index])
            start, used = index, 0.0
        used += size
    pieces.append(word[start:])
    return pieces


class _Pack(FPDF):
    """An A4 page with the DejaVu fonts and a footer naming the organisation and the page."""

    def __init__(self, organisation: str):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.organisation = organisation
        self._word_widths: dict[str, dict[str, float]] = {}
        """Font key -> word -> its width in thousandths of the font size (:meth:`wrapped`)."""
        self.add_font(FONT, "", FONT_FOLDER / "DejaVuSans.ttf")
        self.add_font(FONT, "B", FONT_FOLDER / "DejaVuSans-Bold.ttf")
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=15)
        self.set_creator("crm-exit-analyzer")
        self.set_title(f"Negotiation pack: {organisation}")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 7)
        self.set_text_color(98, 125, 152)
        self.cell(0, 5, f"{self.organisation} · negotiation pack · page {self.page_no()}")
        self.set_text_color(0, 0, 0)

    def heading(self, text: str, size: float = 13, room: float = 45) -> None:
        """A bold title, on a new page when less than ``room`` mm would be left under it."""
        if self.get_y() > self.h - room:
            self.add_page()
        self.ln(2)
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 9)
        self.ln(1)

    def paragraph(self, text: str, size: float = 9, bold: bool = False) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 9)

    def bullet(self, text: str, fill: tuple[int, int, int] | None = None) -> None:
        """A bulleted paragraph across the text width, on a coloured band when ``fill`` is given."""
        self.set_font(FONT, "", 8.5)
        width = self.epw - 2 * self.c_margin
        for line in self.wrapped(f"• {text}", width):
            if self.y + _BULLET_LINE > self.page_break_trigger:
                self.add_page()
            if fill is not None:
                self.set_fill_color(*fill)
                self.rect(self.l_margin, self.y, self.epw, _BULLET_LINE, style="F")
            self.text(self.l_margin + self.c_margin, self._baseline(self.y, _BULLET_LINE), line)
            self.y += _BULLET_LINE
        self.set_fill_color(255, 255, 255)
        self.set_x(self.l_margin)
        self.set_font(FONT, "", 9)
        self.ln(0.6)

    def grid(
        self,
        header: list[str],
        rows: list[list[str]],
        widths: tuple[float, ...],
        size: float = 7.5,
    ) -> None:
        """A table across the text width with a bold header row, repeated on every page it
        runs onto; ``widths`` are the columns' shares of the width. Cells wrap and text stays
        plain.

        Laid out here rather than with fpdf2's ``table``: that measures every cell character
        by character, twice (once for the row's height, once to write it), which took seconds
        for the long source addresses of a large catalog. Here each cell is wrapped once, with
        word widths looked up in :meth:`wrapped`'s cache, and written line by line.
        """
        scale = self.epw / sum(widths)
        columns = [share * scale for share in widths]
        line = size * 0.55
        self.set_font(FONT, "B", size)
        heading = self._grid_row(header, columns, line)
        self.set_font(FONT, "", size)
        body = [self._grid_row([str(cell) for cell in row], columns, line) for row in rows]
        first = body[0].height if body else 0
        if self.y + heading.height + first > self.page_break_trigger:
            self.add_page()
        self._draw_grid_row(heading, columns, line, "B", size)
        for row in body:
            if self.y + row.height > self.page_break_trigger:
                self.add_page()
                self._draw_grid_row(heading, columns, line, "B", size)
            self._draw_grid_row(row, columns, line, "", size)
        self.set_x(self.l_margin)
        self.set_font(FONT, "", 9)
        self.ln(2)

    def _grid_row(self, cells: list[str], columns: list[float], line: float) -> _GridRow:
        """The cells of a row wrapped to their columns (in the current font) and its height."""
        lines = [
            self.wrapped(cell, width - 2 * _CELL_PADDING) if cell else []
            for cell, width in zip(cells, columns, strict=True)
        ]
        return _GridRow(lines, max(map(len, lines), default=0) * line + 2 * _CELL_PADDING)

    def _draw_grid_row(
        self, row: _GridRow, columns: list[float], line: float, style: str, size: float
    ) -> None:
        """Write a wrapped row at the current height, framed, its cells centred vertically;
        a header row (``style`` ``"B"``) is bold on the headings' fill."""
        self.set_font(FONT, style, size)
        if style:
            self.set_fill_color(*_HEADING_FILL)
        x, top = self.l_margin, self.y
        for lines, width in zip(row.cells, columns, strict=True):
            self.rect(x, top, width, row.height, style="DF" if style else "D")
            y = top + (row.height - len(lines) * line) / 2
            for text in lines:
                self.text(x + _CELL_PADDING, self._baseline(y, line), text)
                y += line
            x += width
        if style:
            self.set_fill_color(255, 255, 255)
        self.y = top + row.height

    def _baseline(self, top: float, line: float) -> float:
        """Where a line of text ``line`` mm high starting at ``top`` sits, as fpdf2's cells
        place it."""
        return top + 0.5 * line + 0.3 * self.font_size

    def wrapped(self, text: str, width: float) -> list[str]:
        """``text`` broken into lines no wider than ``width`` mm in the current font.

        Lines break at spaces and at line breaks; a word wider than a line (a long web address)
        is cut between characters, so nothing is dropped. The width of each distinct word is
        measured once per font and kept.
        """
        font = self.current_font
        assert font is not None
        advance = font.cw
        limit = width * self.k * 1000 / self.font_size_pt
        measured = self._word_widths.setdefault(font.fontkey, {})
        space = advance[32]
        lines: list[str] = []
        for paragraph in text.split("\n"):
            words: list[str] = []
            used = 0.0
            for word in paragraph.split(" "):
                size = measured.get(word)
                if size is None:
                    size = measured[word] = sum(advance[ord(char)] for char in word)
                if words and used + space + size <= limit:
                    words.append(word)
                    used += space + size
                    continue
                if words:
                    lines.append(" ".join(words))
                if size <= limit:
                    words, used = [word], size
                    continue
                *whole, rest = _cut(word, limit, advance)
                lines += whole
                words, used = [rest], sum(advance[ord(char)] for char in rest)
            lines.append(" ".join(words))
        return lines

    def image_block(self, png: Any) -> None:
        """A chart across the text width (fpdf2 starts a new page when it does not fit)."""
        self.image(png, w=self.epw)
        self.ln(2)


def report_pdf(result: AnalysisResult) -> bytes:
    """The negotiation pack of ``result`` as PDF bytes.

    Examples
    --------
    >>> from analyzer.analysis import analyze
    >>> from analyzer.catalog import load_catalog
    >>> from analyzer.profile import load_profile
    >>> catalog = load_catalog()
    >>> report_pdf(analyze(load_profile(catalog=catalog), catalog, samples=0))[:5]
    b'%PDF-'
    """
    pdf = _Pack(result.profile.name)
    pdf.add_page()
    _summary_page(pdf, result)
    pdf.add_page()
    _evidence(pdf, result)
    _charts(pdf, result)
    _stability(pdf, result)
    _exit_plan(pdf, result)
    _sources(pdf, result)
    return bytes(pdf.output())


def _summary_page(pdf: _Pack, result: AnalysisResult) -> None:
    """Page 1: the recommendation, the money, the deadline, the options side by side, warnings."""
    profile = result.profile
    rec = result.recommendation
    pdf.heading(f"Negotiation pack: {profile.name}", 16)
    pdf.paragraph(
        f"Analysis start {profile.analysis_start} · horizon {profile.horizon_months} months · "
        f"amounts in {profile.currency} · discount rate {percent(profile.discount_rate, 1)} "
        "for NPV",
        7.5,
    )
    pdf.heading("Recommendation" if not rec.contenders else "Close call")
    pdf.paragraph(rec.headline, 11, bold=True)
    pdf.ln(1)
    for reason in rec.reasons[:2]:
        pdf.bullet(reason)

    pdf.heading("The money")
    winner = result.scenarios.loc[rec.scenario_id]
    stay = result.scenarios.loc["stay"]
    currency = profile.currency
    staying = (
        f"{money(stay['total'], currency)} (cash {money(stay['cash_total'], currency)}) over "
        f"{profile.horizon_months} months"
    )
    if rec.kind == "stay":
        pdf.paragraph(f"Staying: decision total {staying}.")
    else:
        pdf.paragraph(
            f"{rec.label}: decision total {money(winner['total'], currency)} (cash "
            f"{money(winner['cash_total'], currency)}), against {staying} to stay. Break-even: "
            f"{break_even_texts(result)[rec.scenario_id]}."
        )

    pdf.heading("The deadline")
    urgency = result.notice_urgency
    pdf.paragraph(
        f"Notice deadline {urgency.deadline} ({_days(urgency.days_left)} the analysis start): "
        f"it {_URGENCY[urgency.level]}.",
        bold=urgency.level != "ahead",
    )

    pdf.heading("Stay, downgrade or switch")
    table = side_by_side(result)
    count = len(table["columns"])
    pdf.grid(["", *table["columns"]], table["rows"], (1.1, *([2.0] * count)))

    decision, prices = _warnings_by_place(result)
    pdf.heading(f"Warnings ({len(result.warnings)})")
    if result.warnings.empty:
        pdf.paragraph("None.")
    for message in decision:
        pdf.bullet(str(message), fill=WARNING_FILL)
    if prices:
        pdf.paragraph(
            f"{len(prices)} price{'' if len(prices) == 1 else 's'} used "
            f"{'is' if len(prices) == 1 else 'are'} an estimate or older than 12 months: "
            "listed with the prices' sources at the end of this pack."
        )


def _warnings_by_place(result: AnalysisResult) -> tuple[list[str], list[str]]:
    """The warnings for the summary page, and the price warnings shown with the sources: a
    long list of estimated or dated prices would push the summary onto a second page."""
    is_price = result.warnings["kind"].isin(PRICE_WARNING_KINDS)
    return (
        result.warnings.loc[~is_price, "message"].tolist(),
        result.warnings.loc[is_price, "message"].tolist(),
    )


def _days(days: int) -> str:
    """``243 days from`` or ``12 days before``, to precede "the analysis start"."""
    size = abs(days)
    return f"{size} day{'' if size == 1 else 's'} {'from' if days >= 0 else 'before'}"


def _evidence(pdf: _Pack, result: AnalysisResult) -> None:
    """Price paid against list, unused seats, the walk-away option and the key dates."""
    pdf.heading("What we pay, against list")
    rows = price_against_list(result)
    header = ["Seat", "Bought", "Used", "Unused", "Paid a month", "List a month", "Unused a year"]
    keys = [
        "seat",
        "purchased",
        "used",
        "unused",
        "price_paid",
        "list_price",
        "unused_cost_per_year",
    ]
    widths = [2.4, 1.2, 1, 1.2, 1.5, 1.5, 1.6]
    if any(row["source"] != MISSING for row in rows):
        header += ["List source", "As of", "Age", "Confidence"]
        keys += ["source", "as_of", "age", "confidence"]
        widths += [3.2, 1.6, 1.3, 1.7]
    pdf.grid(header, [[row[key] for key in keys] for row in rows], tuple(widths), size=6.5)
    pdf.paragraph(NO_PEER_PRICES, 7.5)

    pdf.heading("Our alternatives")
    alternatives = walk_away_options(result)
    if not alternatives:
        pdf.paragraph("No downgrade or switch could be ranked: staying is the only option costed.")
    else:
        pdf.grid(
            [
                "",
                "Option",
                "Decision total",
                "Cash total",
                "One-time",
                "Saving vs Stay",
                "Break-even",
                "Fit",
                "Change or exit",
            ],
            [
                [
                    r["role"],
                    r["label"],
                    r["total"],
                    r["cash_total"],
                    r["one_time_total"],
                    r["saving_vs_stay"],
                    r["break_even"],
                    r["fit"],
                    r["change"],
                ]
                for r in alternatives
            ],
            (1.5, 2.6, 1.5, 1.5, 1.3, 1.5, 1.6, 0.8, 3.2),
            size=7,
        )

    pdf.heading("Key dates")
    dates = result.decision_key_dates
    pdf.grid(
        ["Event", "Date"],
        [[str(e), str(d)] for e, d in zip(dates["event"], dates["date"], strict=True)],
        (3, 1.2),
    )


def _charts(pdf: _Pack, result: AnalysisResult) -> None:
    pdf.heading("Value for money and cost over time", room=130)
    pdf.image_block(value_for_money_png(result))
    pdf.image_block(cumulative_cost_png(result))


def _stability(pdf: _Pack, result: AnalysisResult) -> None:
    """Rank stability: the chart and the table, or why there is none."""
    pdf.heading("Stability of the recommendation")
    sensitivity = result.sensitivity
    if sensitivity is None:
        pdf.paragraph(str(result.stability.absence))
        return
    mc = sensitivity.monte_carlo
    pdf.paragraph(
        f"{mc.samples} samples of weights and costs (seed {mc.seed}); probability of ranking "
        "first and expected rank:"
    )
    table = rank_stability_table(result, sensitivity)
    pdf.grid(
        ["Scenario", "P(first)", "Expected rank"],
        [
            [str(label), percent(p, 1), f"{rank:.3f}"]
            for label, p, rank in zip(
                table["label"], table["p_first"], table["expected_rank"], strict=True
            )
        ],
        (4, 1, 1),
    )
    chart = rank_stability_png(result)
    if chart is not None:
        pdf.image_block(chart)


def _exit_plan(pdf: _Pack, result: AnalysisResult) -> None:
    pdf.heading(f"Exit plan: {result.recommendation.label}")
    plan = recommended_exit_plan(result)
    pdf.grid(
        ["Date", "Step", "Owner", "Detail"],
        [
            [
                _date(row.date),
                ("OVERDUE: " if row.warning else "") + str(row.step),
                str(row.owner),
                str(row.detail),
            ]
            for row in plan.itertuples(index=False)
        ],
        (1.1, 2.6, 1.2, 5),
        size=7,
    )


def _date(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _sources(pdf: _Pack, result: AnalysisResult) -> None:
    pdf.heading("Prices used: sources, age and confidence")
    for message in _warnings_by_place(result)[1]:
        pdf.bullet(str(message), fill=WARNING_FILL)
    pdf.grid(
        ["Product", "Tier", "Item", "Amount", "Source", "As of", "Age", "Confidence"],
        [
            [
                r["product"],
                r["tier"],
                r["item"],
                r["amount"],
                r["source"],
                r["as_of"],
                (f"{r['age']} (stale)" if r["stale"] == "yes" else r["age"]),
                r["confidence"],
            ]
            for r in source_rows(result)
        ],
        (1.6, 1.4, 1.8, 1.3, 4.2, 1.3, 1.3, 1.2),
        size=6.5,
    )
