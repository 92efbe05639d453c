"""The negotiation pack (PDF), read back with pypdf's text extraction and rendered with pdfium.

Text extraction keeps the order fpdf2 writes, but a table cell or a paragraph may wrap onto
several lines, so the checks compare text with every whitespace removed (:func:`squeezed`).
"""

import datetime as dt
import functools
import io
from pathlib import Path

import pypdf
import pypdfium2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyzer.analysis import analyze
from analyzer.profile import dump_profile, load_profile, parse_profile
from analyzer.reports.pack import price_against_list
from analyzer.reports.pdf import FONT, WARNING_FILL, _Pack, report_pdf
from tests.conftest import GOLDEN, golden_profile

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
"""Rendered pages for a person to look at (gitignored)."""


def squeezed(text: str) -> str:
    """``text`` with every whitespace character removed."""
    return "".join(text.split())


def pdf_text(document: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(document))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture(scope="module")
def document(result):
    return report_pdf(result)


@pytest.fixture(scope="module")
def text(document):
    return squeezed(pdf_text(document))


def test_the_pack_is_a_pdf_that_opens_with_the_summary_on_page_one(document, result):
    reader = pypdf.PdfReader(io.BytesIO(document))
    assert document.startswith(b"%PDF-")
    first = squeezed(reader.pages[0].extract_text())
    assert first.startswith(squeezed("Negotiation pack: Acme Corp"))
    assert squeezed(result.recommendation.headline) in first
    # The three strategies side by side on page 1.
    for kind in ("stay", "downgrade", "switch"):
        label = result.scenarios.loc[result.best(kind), "label"]
        assert squeezed(label) in first
    # A4 portrait: 210 x 297 mm is 595 x 842 points.
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_the_summary_is_one_page_with_price_warnings_beside_the_sources(document, result):
    # The bundled example has 14 warnings, 12 of them about estimated or dated prices: those go
    # with the sources at the end, and page 1 says how many; the others stay on page 1.
    reader = pypdf.PdfReader(io.BytesIO(document))
    first, second = (squeezed(page.extract_text()) for page in reader.pages[:2])
    kinds = result.warnings["kind"]
    prices = result.warnings.loc[kinds.isin(["estimate_price", "stale_price"]), "message"]
    others = result.warnings.loc[~kinds.isin(["estimate_price", "stale_price"]), "message"]
    assert len(prices) > 5 and len(others) >= 2
    assert all(squeezed(message) in first for message in others)
    assert not any(squeezed(message) in first for message in prices)
    assert squeezed(f"{len(prices)} prices used are an estimate or older than 12 months") in first
    # Page 2 opens with the evidence, not with the end of a list of warnings.
    assert second.startswith(squeezed("What we pay, against list"))


def test_price_against_list_names_where_the_list_price_comes_from(result, text):
    # catalog/products/salesforce.yaml, Enterprise, Sales Cloud user: 175 USD a month, read in
    # the api-evangelist copy of salesforce.com/sales/pricing dated 2026-08-13 (secondary);
    # 2026-08-13 to the analysis start 2026-12-01 is 3 whole months.
    rows = {row["seat"]: row for row in price_against_list(result)}
    sales = rows["Sales Cloud Enterprise user"]
    assert (sales["price_paid"], sales["list_price"]) == ("$150.00", "$175.00")
    assert sales["source"].startswith("https://raw.githubusercontent.com/api-evangelist/salesforce")
    assert (sales["as_of"], sales["age"], sales["confidence"]) == (
        "2026-08-13",
        "3 months",
        "secondary",
    )
    assert squeezed("List source") in text


def test_the_pack_names_the_notice_deadline(text):
    # examples/acme-enterprise.yaml: the term ends 2027-08-31 and notice is due 30 days before
    # it, 2027-08-01; the analysis starts 2026-12-01, 30 + 31 + 28 + 31 + 30 + 31 + 30 + 31 =
    # 243 days earlier.
    assert squeezed("Notice deadline 2027-08-01 (243 days from the analysis start)") in text


def test_the_pack_carries_every_warning(text, result):
    assert len(result.warnings) > 0
    for message in result.warnings["message"]:
        assert squeezed(message) in text


def test_the_pack_lists_each_source_with_its_date_and_confidence(text, result):
    assert len(result.sources) > 0
    for row in result.sources.itertuples(index=False):
        as_of = "–" if row.as_of is None else row.as_of.isoformat()
        assert squeezed(f"{row.source}{as_of}") in text
        assert squeezed(row.confidence) in text


def test_the_pack_gives_the_age_of_a_catalog_price(text, result):
    # Salesforce Platform Starter was read 2026-02-01; the analysis starts 2026-12-01: 10 months.
    sources = result.sources.set_index("item")
    assert sources.loc["Salesforce Platform Starter", "as_of"] == dt.date(2026, 2, 1)
    assert squeezed("2026-02-01 10 months estimate") in text


def test_the_pack_has_the_charts_and_the_exit_plan(document, text, result):
    reader = pypdf.PdfReader(io.BytesIO(document))
    images = sum(len(page.images) for page in reader.pages)
    # Value for money, cumulative cost and rank stability.
    assert images == 3
    for step in result.exit_plan(result.recommendation.scenario_id)["step"]:
        assert squeezed(step) in text


def test_the_pack_without_stability_says_why(unsampled):
    document = report_pdf(unsampled)
    assert squeezed(unsampled.stability.absence) in squeezed(pdf_text(document))
    reader = pypdf.PdfReader(io.BytesIO(document))
    # No rank-stability chart: value for money and cumulative cost only.
    assert sum(len(page.images) for page in reader.pages) == 2


def test_accented_names_and_the_euro_sign_print():
    profile = golden_profile(name="Société Générale Ørsted", currency="EUR", fx={"USD": 0.9})
    text = squeezed(pdf_text(report_pdf(analyze(profile, GOLDEN, samples=0))))
    assert squeezed("Negotiation pack: Société Générale Ørsted") in text
    # Self Host CRM's decision total in the golden case is $30,400: at 0.9 it is €27,360.
    assert "€27,360" in text


@pytest.mark.parametrize("name", ["**Evil** CRM", "<b>Evil</b> CRM", "Evil $x^2$ CRM"])
def test_catalog_text_prints_as_typed(hostile_result, name):
    text = squeezed(pdf_text(report_pdf(hostile_result(name))))
    assert squeezed(f"Switch to {name} Standard") in text


def test_page_one_renders_and_is_saved_for_a_person_to_look_at(document):
    page = pypdfium2.PdfDocument(document)[0]
    image = page.render(scale=1.5).to_pil().convert("L")
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(ARTIFACTS / "negotiation-pack-page-1.png")
    # Not blank: a summary page has text and a table, so a real share of pixels is dark.
    dark = sum(image.histogram()[:128])
    assert dark / (image.width * image.height) > 0.01


def test_when_only_staying_can_be_ranked_the_pack_says_so(catalog):
    # Musts that no alternative meets: only Stay is ranked, so Stay is recommended.
    text = dump_profile(load_profile(catalog=catalog)).replace(
        "org_needs:\n",
        "org_needs:\n  self_hosting: must\n  ai_assistant: must\n  sla_management: must\n",
    )
    result = analyze(parse_profile(text, catalog), catalog, samples=0)
    assert result.recommendation.kind == "stay"
    pack = squeezed(pdf_text(report_pdf(result)))
    stay = result.scenarios.loc["stay"]
    # The money is staying's alone, in whole dollars, with no break-even against itself.
    assert squeezed(f"Staying: decision total ${stay['total']:,.0f}") in pack
    assert "Break-even:" not in pack
    assert squeezed("No downgrade or switch could be ranked") in pack


# --- The pack's own table and paragraph layout ---------------------------------------------------


@functools.cache
def blank_pack() -> _Pack:
    """A pack with one page, for measuring (loading the fonts takes a fifth of a second)."""
    pack = _Pack("Acme Corp")
    pack.add_page()
    return pack


def test_a_word_longer_than_the_line_is_cut_between_characters_and_kept_whole():
    # DejaVu Sans draws "a" 1255/2048 of an em wide: 613 thousandths (fpdf2 rounds). At 10 pt a
    # 20 mm line is 20 / 25.4 * 72 = 56.69 pt = 5,669 thousandths: 9 "a" (5,517), not 10 (6,130).
    pack = blank_pack()
    pack.set_font(FONT, "", 10)
    lines = pack.wrapped("a" * 90, 20)
    assert lines == ["a" * 9] * 10


def test_lines_break_at_the_last_space_that_fits():
    # "aaaa aaaa" is 8 x 613 + the space's 651/2048 of an em (318) = 5,222 thousandths: at 10 pt
    # 52.22 pt = 18.42 mm. A 19 mm line holds two words, an 18 mm line one.
    pack = blank_pack()
    pack.set_font(FONT, "", 10)
    assert pack.wrapped("aaaa aaaa aaaa", 19) == ["aaaa aaaa", "aaaa"]
    assert pack.wrapped("aaaa aaaa aaaa", 18) == ["aaaa", "aaaa", "aaaa"]
    assert pack.wrapped("aaaa\naaaa", 100) == ["aaaa", "aaaa"]


WORDS = st.text(alphabet=st.sampled_from("aWi./-:é€Ø(\\)*<>_"), max_size=40)
"""Words, some as long as a web address, with characters of several widths and markup."""
TEXTS = st.lists(st.tuples(WORDS, st.sampled_from([" ", " ", " ", "  ", "\n"])), max_size=40).map(
    lambda pieces: "".join(word + gap for word, gap in pieces)
)
"""Words separated mostly by one space, sometimes by two or by a line break."""


@given(
    text=TEXTS,
    width=st.floats(min_value=2, max_value=180),
    size=st.sampled_from([6.5, 7, 7.5, 8.5, 9, 16]),
    style=st.sampled_from(["", "B"]),
)
def test_wrapping_drops_nothing_and_keeps_lines_within_the_width(text, width, size, style):
    pack = blank_pack()
    pack.set_font(FONT, style, size)
    lines = pack.wrapped(text, width)
    # Only the spaces a line breaks at and the line breaks themselves go.
    assert squeezed("".join(lines)) == squeezed(text)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "").replace("\n", "")
    assert len(lines) >= text.count("\n") + 1
    for line in lines:
        # fpdf2's own measure; a single character wider than the line cannot be cut.
        assert len(line) == 1 or pack.get_string_width(line) <= width + 1e-9


def test_a_table_over_several_pages_repeats_its_header_and_keeps_every_cell_whole():
    pack = _Pack("Acme Corp")
    pack.add_page()
    rows = [
        [
            f"Product ({index}) **not bold** <b>",
            f"https://example.com/prices/{index}/" + "x" * 90,
            f"2026-{index % 12 + 1:02d}-01",
            "C:\\prices\\today",
        ]
        for index in range(120)
    ]
    pack.grid(["Product", "Source", "As of", "Path"], rows, (2, 4, 1, 1.5), size=6.5)
    reader = pypdf.PdfReader(io.BytesIO(bytes(pack.output())))
    pages = [squeezed(page.extract_text()) for page in reader.pages]
    # 120 rows of four lines at 6.5 x 0.55 mm and 1.6 mm of padding (5.2 x 4 + ... > 2,000 mm)
    # cannot fit on one A4 page of 267 mm.
    assert len(pages) > 2
    assert all(page.startswith("ProductSourceAsofPath") for page in pages)
    text = "".join(pages)
    position = 0
    for row in rows:
        cells = squeezed("".join(row))
        found = text.find(cells, position)
        assert found >= 0, row
        position = found + len(cells)


def test_bullets_running_over_a_page_keep_every_word():
    pack = _Pack("Acme Corp")
    pack.add_page()
    messages = [
        f"Price {index} (estimate): " + "ask for a current quote " * 12 for index in range(40)
    ]
    for message in messages:
        pack.bullet(message, fill=WARNING_FILL)
    reader = pypdf.PdfReader(io.BytesIO(bytes(pack.output())))
    assert len(reader.pages) > 1
    # Each page ends with its footer; without them the pages hold the bullets, word for word.
    text = "".join(
        squeezed(page.extract_text()).removesuffix(
            squeezed(f"Acme Corp · negotiation pack · page {number}")
        )
        for number, page in enumerate(reader.pages, start=1)
    )
    assert text == squeezed("".join(f"• {message}" for message in messages))
