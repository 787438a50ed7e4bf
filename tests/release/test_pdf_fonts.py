"""The PDF lays out the same on every machine: its fonts are shipped, not the machine's, and its
contents carries the printed reference's page numbers (release #1 2025: KZ 2, KG 6, RU 7, TJ 9)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.release.conftest import pdf_text
from tests.release.reference import SECTIONS

REFERENCE_PAGES = dict(zip(SECTIONS, (2, 6, 7, 9), strict=True))
BUILD = """
import sys
from storage import schema
from storage.db import session_scope
from tests.release.reference import load_reference
from release.builder import build_release
url = f"sqlite:///{sys.argv[1]}/r.sqlite"
schema.upgrade(url)
load_reference(url)
with session_scope(url) as session:
    [pdf] = build_release(session, 2025, 1, ["pdf"], "en", False, sys.argv[1])
print(pdf)
"""


def _contents(pdf: Path) -> dict[str, int]:
    listed = {}
    for line in pdf_text(pdf, 3).splitlines():
        match = re.match(r"^\s*(.+?)\s*(?:\. )+\.?\s*(\d+)\s*$", line)
        if match:
            listed[match.group(1)] = int(match.group(2))
    return listed


def _fonts(pdf: Path) -> set[str]:
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {line.split()[0].split("+", 1)[-1] for line in listing.splitlines()[2:] if line.strip()}


def test_the_contents_has_the_printed_releases_page_numbers(reference_build) -> None:
    assert _contents(reference_build["pdf"]) == REFERENCE_PAGES


@pytest.mark.slow
def test_a_machine_without_any_font_lays_out_the_same_pages(tmp_path: Path, reference_build) -> None:
    """fontconfig sees no font directory at all: only the shipped fonts can be used."""
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                     f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>", encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(empty)}
    env.pop("FONTCONFIG_PATH", None)
    built = subprocess.run([sys.executable, "-c", BUILD, str(tmp_path)], capture_output=True, text=True,
                           env=env, timeout=300, cwd=Path(__file__).resolve().parents[2])
    assert built.returncode == 0, built.stderr[-2000:]
    pdf = Path(built.stdout.strip().splitlines()[-1])
    assert _contents(pdf) == REFERENCE_PAGES
    assert _fonts(pdf) == _fonts(reference_build["pdf"])
    assert all(font.startswith("Release-") for font in _fonts(pdf))
