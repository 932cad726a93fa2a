"""DAISY Ace, the EPUB accessibility checker (axe-core rules plus EPUB checks), on the EPUB."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from ..helpers import ROOT

ACE = ROOT / "tools" / "ace" / "node_modules" / ".bin" / "ace-puppeteer"

#: Skipped on a developer machine without the tools; never in CI, which installs them.
pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    (not ACE.exists() or shutil.which("chromium") is None) and not os.environ.get("CI"),
    reason="needs DAISY Ace in tools/ace and Debian's chromium (.ci/run installs both)")]


def test_ace_finds_no_accessibility_problems(bundled, tmp_path):
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": shutil.which("chromium")}
    subprocess.run([str(ACE), "--force", "--silent", "--outdir", str(tmp_path),
                    str(bundled["epub"])], env=env, check=True, timeout=600)
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    findings = [(a["earl:testSubject"]["url"], b["earl:test"]["dct:title"],
                 b["earl:result"]["dct:description"])
                for a in report["assertions"] for b in a.get("assertions", [])]
    assert findings == []
    assert report["earl:result"]["earl:outcome"] == "pass"
    # Only the evaluator's own credentials are missing: nobody has certified the book.
    assert set(report["a11y-metadata"]["missing"]) == {
        "a11y:certifiedBy", "a11y:certifierCredential", "a11y:certifierReport"}
    assert report["properties"]["hasPageBreaks"] is True
