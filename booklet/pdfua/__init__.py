"""PDF/UA-1 checker: the machine-testable Matterhorn Protocol 1.1 conditions, read with pikepdf.

`check(path_or_bytes)` returns a Report whose failures each name a Matterhorn id (or an
"X-" id for a check the protocol has no id for: see COVERAGE and EXTENSIONS), a 1-based
page, an object reference and a message. Nothing here imports the rest of booklet.
"""

from __future__ import annotations

import io
import os

import pikepdf

from . import (
    content,
    objects,
    rules_annots,
    rules_doc,
    rules_fonts,
    rules_semantics,
    rules_tags,
    rules_text,
    structure,
)
from ._pdf import LimitReached
from .context import Context
from .coverage import COVERAGE, EXTENSIONS, NOT_CHECKED
from .report import Failure, Report

__all__ = ["COVERAGE", "EXTENSIONS", "NOT_CHECKED", "Failure", "Report", "check"]

RULES = (rules_doc.RULES + rules_tags.RULES + rules_semantics.RULES + rules_annots.RULES
         + rules_fonts.RULES + rules_text.RULES)


def check(source: str | os.PathLike[str] | bytes | pikepdf.Pdf, *,
          extensions: bool = True) -> Report:
    """Check one PDF; extensions=False keeps to Matterhorn ids (drops the X- checks)."""
    if isinstance(source, pikepdf.Pdf):
        return _check(source, getattr(source, "filename", "<pdf>"), extensions)
    if isinstance(source, (bytes, bytearray)):
        with pikepdf.open(io.BytesIO(bytes(source))) as pdf:
            return _check(pdf, "<bytes>", extensions)
    with pikepdf.open(source) as pdf:
        return _check(pdf, os.fspath(source), extensions)


def _check(pdf: pikepdf.Pdf, label: str, extensions: bool) -> Report:
    ctx = Context(pdf, extensions=extensions)
    try:
        ctx.objects = objects.scan(ctx)
        ctx.tree = structure.build(ctx)
        ctx.scan = content.scan(ctx)
        for rule in RULES:
            rule(ctx)
    except LimitReached as exc:
        # Never pass a file the checker did not read to the end.
        ctx.fail("X-limit", None, None, f"check stopped: {exc}")
    failures = ctx.failures if extensions else [f for f in ctx.failures
                                                if not f.rule.startswith("X-")]
    return Report(label, failures)
