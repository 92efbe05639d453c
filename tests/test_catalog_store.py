"""The validated catalog kept on disk (analyzer/catalog_store.py).

Every test points the store at its own folder (``CRM_ANALYZER_CACHE_DIR``) and loads a copy of
the bundled catalog, so keys never meet those of other tests. "Parsed" is observed by a spy on
``analyzer.catalog._parse_catalog``, the one function that reads YAML into models.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import analyzer.catalog as catalog_module
from analyzer import catalog_store
from analyzer.analysis import analyze
from analyzer.catalog import BUNDLED_CATALOG, Catalog, clear_catalog_cache, load_catalog
from analyzer.errors import InputError
from analyzer.profile import load_profile
from analyzer.reports import report_json
from tests.conftest import FIXTURES

TODAY = dt.date(2026, 11, 27)
"""The day every catalog here is checked on (the bundled prices are all read before it)."""


@pytest.fixture
def store(tmp_path, monkeypatch) -> Path:
    """This test's own store folder, not created yet."""
    folder = tmp_path / "store"
    monkeypatch.setenv(catalog_store.CACHE_DIR_ENV, str(folder))
    clear_catalog_cache()
    yield folder
    clear_catalog_cache()


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the bundled catalog that a test may edit."""
    copy = tmp_path / "catalog"
    shutil.copytree(BUNDLED_CATALOG, copy)
    return copy


class ParseSpy:
    """Counts calls of the YAML parse behind ``load_catalog``; refuses them once ``forbidden``."""

    def __init__(self, monkeypatch) -> None:
        self.calls = 0
        self.forbidden = False
        self._parse = catalog_module._parse_catalog
        monkeypatch.setattr(catalog_module, "_parse_catalog", self)

    def __call__(self, *args, **kwargs):
        if self.forbidden:
            raise AssertionError("the catalog was parsed although it is stored")
        self.calls += 1
        return self._parse(*args, **kwargs)


@pytest.fixture
def parses(monkeypatch) -> ParseSpy:
    return ParseSpy(monkeypatch)


def stored_files(store: Path) -> list[Path]:
    return sorted(store.glob("catalog-*.pickle"))


def load_like_a_new_process(folder: Path) -> Catalog:
    """``load_catalog`` after forgetting what this process keeps in memory."""
    clear_catalog_cache()
    return load_catalog(folder, today=TODAY)


def test_a_second_load_uses_the_stored_catalog_without_parsing(store, folder, parses):
    parsed = load_catalog(folder, today=TODAY)
    assert parses.calls == 1
    assert len(stored_files(store)) == 1
    parses.forbidden = True
    loaded = load_like_a_new_process(folder)
    assert loaded is not parsed
    assert loaded == parsed
    # Read-only like a parsed one: the stored copy keeps its ReadOnlyDicts.
    with pytest.raises(TypeError):
        loaded.products[0].tiers[0].features["x"] = "full"


def test_a_new_process_loads_the_stored_catalog_without_parsing(store, folder):
    # Two real interpreters: the first stores, the second has no parser and still loads.
    probe = (
        "import datetime, sys, analyzer.catalog as c\n"
        "if sys.argv[2] == 'no-parse':\n"
        "    c._parse_catalog = None\n"
        "catalog = c.load_catalog(sys.argv[1], today=datetime.date(2026, 11, 27))\n"
        "print(len(catalog.products))\n"
    )
    environment = {**os.environ, catalog_store.CACHE_DIR_ENV: str(store)}
    counts = [
        subprocess.run(
            [sys.executable, "-c", probe, str(folder), mode],
            capture_output=True,
            text=True,
            check=True,
            env=environment,
            timeout=300,
        ).stdout.strip()
        for mode in ("parse", "no-parse")
    ]
    expected = len(list((folder / "products").glob("*.yaml")))
    assert counts == [str(expected), str(expected)]


def test_an_edited_file_is_picked_up(store, folder, parses):
    before = load_catalog(folder, today=TODAY)
    product = folder / "products" / "salesforce.yaml"
    product.write_text(
        product.read_text(encoding="utf-8").replace("\nname: ", "\nname: Edited ", 1),
        encoding="utf-8",
    )
    after = load_like_a_new_process(folder)
    assert parses.calls == 2
    assert after.product("salesforce").name == f"Edited {before.product('salesforce').name}"
    assert len(stored_files(store)) == 2


def test_the_day_is_part_of_the_key(store, folder, parses):
    load_catalog(folder, today=TODAY)
    load_like_a_new_process(folder)
    load_catalog(folder, today=TODAY + dt.timedelta(days=1))
    assert parses.calls == 2


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _flipped(data: bytes) -> bytes:
    # One byte of the pickle changed: the digest no longer matches.
    return data[:-10] + bytes([data[-10] ^ 0x01]) + data[-9:]


def _framed(payload: bytes) -> bytes:
    # A file with a right format line and digest, around some other pickle.
    digest = catalog_store.hashlib.blake2b(payload, digest_size=catalog_store.DIGEST_SIZE).digest()
    return catalog_store.FORMAT + digest + payload


CORRUPTIONS = {
    "empty": lambda data: b"",
    "truncated": _truncated,
    "one byte flipped": _flipped,
    "another format": lambda data: (
        b"crm-analyzer catalog store 0\n" + data[len(catalog_store.FORMAT) :]
    ),
    "not a catalog": lambda data: _framed(pickle.dumps({"products": []})),
    "unpicklable": lambda data: _framed(b"\x80\x05cno_such_module\nThing\n."),
    "not a pickle": lambda data: _framed(b"{}"),
}


@pytest.mark.parametrize("corruption", sorted(CORRUPTIONS))
def test_a_damaged_stored_file_is_parsed_again_and_replaced(store, folder, parses, corruption):
    parsed = load_catalog(folder, today=TODAY)
    [path] = stored_files(store)
    path.write_bytes(CORRUPTIONS[corruption](path.read_bytes()))
    assert load_like_a_new_process(folder) == parsed
    assert parses.calls == 2
    # The parse stored a good file again: the next load needs no parse.
    parses.forbidden = True
    assert load_like_a_new_process(folder) == parsed


def test_a_file_of_another_user_is_never_unpickled(store, folder, parses, monkeypatch):
    load_catalog(folder, today=TODAY)
    someone_else = os.getuid() + 1 if hasattr(os, "getuid") else None
    if someone_else is None:
        pytest.skip("no user ids on this system")
    monkeypatch.setattr(catalog_store.os, "getuid", lambda: someone_else)
    load_like_a_new_process(folder)
    assert parses.calls == 2


@pytest.mark.parametrize("value", ["", "off", "OFF", " off "])
def test_an_empty_or_off_variable_turns_the_store_off(tmp_path, monkeypatch, folder, value):
    monkeypatch.setenv(catalog_store.CACHE_DIR_ENV, value)
    monkeypatch.chdir(tmp_path)
    spy = ParseSpy(monkeypatch)
    assert catalog_store.store_folder() is None
    load_like_a_new_process(folder)
    load_like_a_new_process(folder)
    clear_catalog_cache()
    assert spy.calls == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog"]


def test_without_the_variable_the_store_is_in_the_users_cache_folder(monkeypatch):
    import platformdirs

    monkeypatch.delenv(catalog_store.CACHE_DIR_ENV, raising=False)
    expected = Path(platformdirs.user_cache_dir("crm-analyzer", appauthor=False))
    assert catalog_store.store_folder() == expected


def test_a_catalog_with_problems_is_never_stored(store, folder, parses):
    product = folder / "products" / "salesforce.yaml"
    product.write_text(product.read_text(encoding="utf-8") + "surprise: field\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InputError) as raised:
            load_like_a_new_process(folder)
        # Every time a parse, and the problem keeps its file and line.
        [problem] = raised.value.problems
        assert problem.path == str(product)
        assert problem.line == len(product.read_text(encoding="utf-8").splitlines())
    assert parses.calls == 2
    assert stored_files(store) == []


def test_an_unwritable_store_is_passed_over(tmp_path, monkeypatch, folder):
    # The folder's name is taken by a file: nothing can be stored, and nothing fails.
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(catalog_store.CACHE_DIR_ENV, str(blocked))
    spy = ParseSpy(monkeypatch)
    assert load_like_a_new_process(folder) == load_like_a_new_process(folder)
    clear_catalog_cache()
    assert spy.calls == 2
    assert blocked.read_text(encoding="utf-8") == "not a folder"


def test_unreadable_sources_turn_the_store_off(store, folder, parses):
    # No trustworthy key without the package's sources (a file removed while they are read).
    def vanished(*args):
        raise FileNotFoundError("a source file went away")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(catalog_store, "package_source_digest", vanished)
        catalog_store.code_fingerprint.cache_clear()
        try:
            assert load_like_a_new_process(folder) == load_like_a_new_process(folder)
        finally:
            catalog_store.code_fingerprint.cache_clear()
    assert parses.calls == 2
    assert not store.exists()


def test_an_unpicklable_object_is_not_stored(store):
    catalog_store.store("folder", TODAY, b"content", lambda: None)
    assert not store.exists() or stored_files(store) == []
    assert catalog_store.load_stored("folder", TODAY, b"content") is None


def stored_path(store: Path, folder: str) -> Path:
    return store / f"catalog-{catalog_store.store_key(folder, TODAY, b'content')}.pickle"


def test_only_the_newest_files_are_kept(store, monkeypatch):
    monkeypatch.setattr(catalog_store, "KEEP_FILES", 2)
    store.mkdir()
    now = time.time()
    stale_temp = store / ".catalog-dead.tmp"
    fresh_temp = store / ".catalog-writing.tmp"
    for path, age in ((stale_temp, 2 * catalog_store.STALE_TEMP_SECONDS), (fresh_temp, 1)):
        path.write_bytes(b"partial")
        os.utime(path, (now - age, now - age))
    for number in range(3):
        catalog_store.store(f"folder-{number}", TODAY, b"content", {"number": number})
        # Stored a minute apart: folder-0 is the oldest.
        written = now - 60 * (10 - number)
        os.utime(stored_path(store, f"folder-{number}"), (written, written))
    # Three stores, two kept: folder-0 went when folder-2 came.
    assert not stored_path(store, "folder-0").exists()
    # Using folder-1 makes it the newest: it outlives folder-2 when folder-3 comes.
    assert catalog_store.load_stored("folder-1", TODAY, b"content") == {"number": 1}
    catalog_store.store("folder-3", TODAY, b"content", {"number": 3})
    survivors = [n for n in range(4) if stored_path(store, f"folder-{n}").exists()]
    assert survivors == [1, 3]
    assert len(stored_files(store)) == 2
    assert not stale_temp.exists()
    assert fresh_temp.exists()


def test_processes_storing_and_loading_at_once_never_see_part_of_a_file(store):
    # Threads stand in for processes: each write goes through its own temporary file and one
    # rename, so a load sees nothing or a whole catalog, never an error.
    catalog = load_catalog(FIXTURES / "model_catalog", today=dt.date(2026, 12, 1))

    def store_and_load(_: int) -> object:
        catalog_store.store("shared", TODAY, b"content", catalog)
        return catalog_store.load_stored("shared", TODAY, b"content")

    with ThreadPoolExecutor(max_workers=8) as pool:
        loaded = list(pool.map(store_and_load, range(40)))
    assert all(item == catalog for item in loaded)
    # The model catalog loaded above and the shared one.
    assert stored_path(store, "shared") in stored_files(store)
    assert len(stored_files(store)) == 2
    assert list(store.glob("*.tmp")) == []


def test_the_key_changes_with_the_code(monkeypatch):
    key = catalog_store.store_key("folder", TODAY, b"content", code=b"one")
    assert key == catalog_store.store_key("folder", TODAY, b"content", code=b"one")
    assert key != catalog_store.store_key("folder", TODAY, b"content", code=b"two")
    # The code fingerprint follows the versions of Python, pydantic and PyYAML...
    fingerprint = catalog_store.code_fingerprint.__wrapped__()
    assert fingerprint == catalog_store.code_fingerprint()
    versions = catalog_store.runtime_versions()
    for index in range(len(versions)):
        changed = (*versions[:index], "other", *versions[index + 1 :])
        monkeypatch.setattr(catalog_store, "runtime_versions", lambda changed=changed: changed)
        assert catalog_store.code_fingerprint.__wrapped__() != fingerprint
    # ...and the package's own sources.
    monkeypatch.setattr(catalog_store, "runtime_versions", lambda: versions)
    assert catalog_store.code_fingerprint.__wrapped__() == fingerprint
    monkeypatch.setattr(catalog_store, "package_source_digest", lambda: b"edited")
    assert catalog_store.code_fingerprint.__wrapped__() != fingerprint


def test_the_source_digest_follows_every_source_file(tmp_path):
    package = tmp_path / "analyzer"
    shutil.copytree(catalog_store.PACKAGE_ROOT, package, ignore=shutil.ignore_patterns("*.pyc"))
    original = catalog_store.package_source_digest(package)
    assert original == catalog_store.package_source_digest(catalog_store.PACKAGE_ROOT)
    # Compiled files and other files do not count...
    (package / "__pycache__").mkdir(exist_ok=True)
    (package / "__pycache__" / "extra.py").write_text("x = 1\n", encoding="utf-8")
    (package / "notes.txt").write_text("hello\n", encoding="utf-8")
    assert catalog_store.package_source_digest(package) == original
    # ...an edited model class, a new module and a renamed one do.
    model = package / "catalog.py"
    source = model.read_text(encoding="utf-8")
    model.write_text(source.replace("class Tier(", "class Tier(  ", 1), encoding="utf-8")
    edited = catalog_store.package_source_digest(package)
    model.write_text(source, encoding="utf-8")
    (package / "reports" / "new.py").write_text("x = 1\n", encoding="utf-8")
    added = catalog_store.package_source_digest(package)
    (package / "reports" / "new.py").rename(package / "reports" / "newer.py")
    renamed = catalog_store.package_source_digest(package)
    assert len({original, edited, added, renamed}) == 4


@given(
    first=st.tuples(st.text(max_size=20), st.dates(), st.binary(max_size=40)),
    second=st.tuples(st.text(max_size=20), st.dates(), st.binary(max_size=40)),
)
def test_keys_are_equal_exactly_when_folder_day_and_content_are(first, second):
    def key(parts: tuple[str, dt.date, bytes]) -> str:
        return catalog_store.store_key(*parts, code=b"code")

    assert (key(first) == key(second)) == (first == second)


def test_the_report_from_a_stored_catalog_equals_the_parsed_one(store, parses):
    # The bundled example, as `crm-analyzer compare --format json` writes it: once from a
    # parsed catalog, once from the one a new process would unpickle.
    parsed = load_catalog()
    expected = report_json(analyze(load_profile(catalog=parsed), parsed))
    parses.forbidden = True
    clear_catalog_cache()
    stored = load_catalog()
    assert stored is not parsed
    assert report_json(analyze(load_profile(catalog=stored), stored)) == expected
    reference = FIXTURES / "json_reference" / "acme-enterprise.json"
    assert expected == reference.read_text(encoding="utf-8")
