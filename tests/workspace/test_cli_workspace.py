"""``crm-analyzer workspace``: save, list, show, diff and re-run from the command line."""

from __future__ import annotations

import json
import re
import shutil

import pytest
import yaml

from analyzer.catalog import load_catalog
from analyzer.cli import main
from analyzer.profile import EXAMPLE_PROFILE, dump_profile
from analyzer.workspace import catalog_fingerprint, open_workspace
from tests.conftest import FIXTURES, golden_profile

TARGET_SEAT = "price: {amount: 100, currency: USD, source: https://target.example.com/pricing"


@pytest.fixture
def workspace(tmp_path):
    return str(tmp_path / "workspace.sqlite3")


def saved_id(capsys) -> int:
    return int(re.search(r"saved analysis #(\d+)", capsys.readouterr().out).group(1))


def test_save_list_show_and_diff_two_what_ifs(tmp_path, capsys, workspace):
    bigger = tmp_path / "bigger.yaml"
    example = yaml.safe_load(EXAMPLE_PROFILE.read_text(encoding="utf-8"))
    old_seats = example["roles"][0]["seats"]
    example["roles"][0]["seats"] = old_seats + 10
    bigger.write_text(yaml.safe_dump(example, sort_keys=False), encoding="utf-8")
    role = example["roles"][0]["id"]

    assert (
        main(["workspace", "save", "--workspace", workspace, "--by", "ana", "--note", "base"]) == 0
    )
    first = saved_id(capsys)
    assert main(["workspace", "save", str(bigger), "--workspace", workspace, "--by", "bo"]) == 0
    second = saved_id(capsys)

    assert main(["workspace", "list", "--workspace", workspace]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].split()[:4] == ["id", "saved", "by", "profile"]
    assert [line.split()[0] for line in listing[1:]] == [str(first), str(second)]
    assert " ana " in listing[1] and " bo " in listing[2] and listing[1].rstrip().endswith("base")

    assert main(["workspace", "show", str(first), "--workspace", workspace]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith(f"#{first} Acme Corp\n")
    assert "by ana" in shown and "note: base" in shown
    assert (
        main(["workspace", "show", str(first), "--part", "report", "--workspace", workspace]) == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert f"recommended: {report['recommendation']['label']}" in shown

    assert main(["workspace", "diff", str(first), str(second), "--workspace", workspace]) == 0
    diff = capsys.readouterr().out
    assert f"roles[{role}].seats: {old_seats} → {old_seats + 10}" in diff
    assert "1 profile input(s) changed" in diff
    assert "The catalog changed" not in diff


def test_rerun_on_a_changed_catalog_names_the_price_and_its_effect(tmp_path, capsys, workspace):
    catalog = tmp_path / "catalog"
    shutil.copytree(FIXTURES / "model_catalog", catalog)
    profile = tmp_path / "golden.yaml"
    profile.write_text(dump_profile(golden_profile()), encoding="utf-8")
    save = ["workspace", "save", str(profile), "--catalog", str(catalog), "--workspace", workspace]
    assert main(save) == 0
    first = saved_id(capsys)

    target = catalog / "products" / "target.yaml"
    text = target.read_text(encoding="utf-8")
    assert TARGET_SEAT in text
    target.write_text(text.replace(TARGET_SEAT, TARGET_SEAT.replace("100", "110")), "utf-8")
    rerun = ["workspace", "rerun", str(first), "--catalog", str(catalog), "--workspace", workspace]
    assert main([*rerun, "--save"]) == 0
    out = capsys.readouterr().out
    assert "Target CRM Standard, Seat: $100.00 → $110.00" in out
    assert "The catalog changed" in out and "1 price(s) used here changed" in out
    # Staying pays the profile's own prices and the legacy list: the target's price is not in it.
    stay = next(line for line in out.splitlines() if line.startswith("  Stay on"))
    assert stay.endswith("($0)")
    switch = next(line for line in out.splitlines() if line.startswith("  Switch to Target CRM"))
    assert re.search(r"\(\+\$[\d,]+\)$", switch)

    with open_workspace(workspace) as opened:
        old, new = opened.list()
    assert new.note == f"re-run of #{first}"
    assert old.catalog.content_hash != new.catalog.content_hash
    assert new.catalog == catalog_fingerprint(load_catalog(catalog))


def test_an_unknown_analysis_exits_2_with_a_message(capsys, workspace):
    assert main(["workspace", "show", "7", "--workspace", workspace]) == 2
    assert "error: no saved analysis #7 in workspace" in capsys.readouterr().err


def test_rerun_of_a_profile_todays_catalog_cannot_read_exits_2_with_its_problem(
    tmp_path, capsys, workspace
):
    catalog = tmp_path / "catalog"
    shutil.copytree(FIXTURES / "model_catalog", catalog)
    profile = tmp_path / "golden.yaml"
    profile.write_text(dump_profile(golden_profile()), encoding="utf-8")
    assert (
        main(
            ["workspace", "save", str(profile), "--catalog", str(catalog), "--workspace", workspace]
        )
        == 0
    )
    first = saved_id(capsys)
    (catalog / "products" / "legacy.yaml").unlink()  # the edition the profile is on goes away
    rerun = ["workspace", "rerun", str(first), "--catalog", str(catalog), "--workspace", workspace]
    assert main(rerun) == 2
    err = capsys.readouterr().err
    assert f"saved analysis #{first}:" in err and "unknown product 'legacy'" in err
