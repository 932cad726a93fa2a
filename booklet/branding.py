"""Helpers the templates use to show a practice's details: logo files, web addresses."""

from __future__ import annotations

import base64
from pathlib import Path
from urllib.parse import urlsplit

from .resources import IMAGE_TYPES

#: File name (without suffix) of the practice logo inside the EPUB.
LOGO_STEM = "practice-logo"


def data_uri(path: Path) -> str:
    """A file as a `data:` URL, so the print HTML carries the logo itself."""
    media_type = IMAGE_TYPES[path.suffix.lower()]
    return f"data:{media_type};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def logo_file_name(path: Path) -> str:
    """The logo's file name inside the EPUB package."""
    return f"{LOGO_STEM}{path.suffix.lower()}"


def web_address(url: str) -> str:
    """A URL as people type it: no scheme, no trailing slash (`example.org/handouts`)."""
    parts = urlsplit(url)
    shown = (parts.netloc + parts.path).rstrip("/")
    return f"{shown}?{parts.query}" if parts.query else shown
