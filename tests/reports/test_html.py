"""The HTML report opens offline, has every section, and escapes catalog text."""

import dataclasses
import re

import pytest
from plotly.offline import get_plotlyjs

from analyzer.reports import report_html, report_markdown

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def html(result):
    return report_html(result)


def test_html_embeds_plotly_once_and_loads_nothing(html):
    banner = get_plotlyjs()[:40]
    assert "plotly.js v" in banner
    assert html.count(banner) == 1
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.IGNORECASE)
    assert not re.search(r"<link[^>]*href\s*=\s*[\"']?https?:", html, re.IGNORECASE)


def test_html_has_every_section(html, result):
    for anchor in ("recommendation", "scenarios", "costs", "fit", "stability", "timeline"):
        assert f'id="{anchor}"' in html
    assert "Not ranked" in html
    assert "Prices used: sources, age and confidence" in html
    # Value for money, cumulative, breakdown, fit, score, timeline, rank stability, tornado.
    assert html.count('class="plotly-graph-div"') == 8
    assert result.recommendation.headline.split(":")[0] in html


def test_html_without_sensitivity_leaves_the_section_out(unsampled):
    page = report_html(unsampled)
    assert 'id="stability"' not in page
    assert page.count('class="plotly-graph-div"') == 6


def test_html_escapes_catalog_text(hostile_result):
    page = report_html(hostile_result(SCRIPT))
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_html_and_markdown_print_the_same_money_and_percentages(html, result):
    markdown = report_markdown(result)
    ranked = result.scenarios[result.scenarios["rank"].notna()]
    # The example is in USD: whole dollars with thousands separators, fit in whole percent.
    for total, fit in zip(ranked["total"], ranked["fit"], strict=True):
        dollars = f"-${-total:,.0f}" if total < 0 else f"${total:,.0f}"
        share = f"{round(fit * 100)}%"
        assert f'<td class="num">{dollars}</td>' in html
        assert f'<td class="num">{share}</td>' in html
        assert f"| {dollars} |" in markdown and f"| {share} |" in markdown
    # The example's discount rate is 8%: "8.0%" in both headers.
    assert "discount rate 8.0% for NPV" in html and "discount rate 8.0% for NPV" in markdown


def test_a_weight_that_never_changes_the_winner_prints_a_dash(result):
    flips = result.sensitivity.weight_flips.copy()
    flips.loc[0, ["flip_weight", "new_winner"]] = [float("nan"), None]
    sensitivity = dataclasses.replace(result.sensitivity, weight_flips=flips)
    stability = dataclasses.replace(result.stability, sensitivity=sensitivity)
    page = report_html(dataclasses.replace(result, stability=stability))
    flip_cells = re.findall(r'<td class="num">([^<]*)</td>\s*<td>none: no weight', page)
    assert flip_cells == ["–"]
    # The other criteria keep their flip weight to three decimals.
    for weight in flips["flip_weight"].iloc[1:]:
        assert f'<td class="num">{weight:.3f}</td>' in page
