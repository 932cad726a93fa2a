"""Fonts as the checks need them: embedding, CMaps (ToUnicode and encoding), code splitting."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

import pikepdf

from ._pdf import as_list, get, is_dict, is_stream, name

MAX_CMAP_BYTES = 10_000_000
TOKEN = re.compile(rb"<([0-9A-Fa-f\s]*)>|(\[)|(\])|/([^\s/<>\[\]()%{}]+)|([A-Za-z]\w*)|(-?\d+)"
                   rb"|%[^\r\n]*|\((?:[^()\\]|\\.)*\)")
# ISO 32000-1 9.7.5.2 Table 118: CMaps a reader has built in and a file need not embed.
PREDEFINED_CMAPS = frozenset("""
    GB-EUC-H GB-EUC-V GBpc-EUC-H GBpc-EUC-V GBK-EUC-H GBK-EUC-V GBKp-EUC-H GBKp-EUC-V
    GBK2K-H GBK2K-V UniGB-UCS2-H UniGB-UCS2-V UniGB-UTF16-H UniGB-UTF16-V B5pc-H B5pc-V
    HKscs-B5-H HKscs-B5-V ETen-B5-H ETen-B5-V ETenms-B5-H ETenms-B5-V CNS-EUC-H CNS-EUC-V
    UniCNS-UCS2-H UniCNS-UCS2-V UniCNS-UTF16-H UniCNS-UTF16-V 83pv-RKSJ-H 90ms-RKSJ-H
    90ms-RKSJ-V 90msp-RKSJ-H 90msp-RKSJ-V 90pv-RKSJ-H Add-RKSJ-H Add-RKSJ-V EUC-H EUC-V
    Ext-RKSJ-H Ext-RKSJ-V H V UniJIS-UCS2-H UniJIS-UCS2-V UniJIS-UCS2-HW-H UniJIS-UCS2-HW-V
    UniJIS-UTF16-H UniJIS-UTF16-V KSC-EUC-H KSC-EUC-V KSCms-UHC-H KSCms-UHC-V KSCms-UHC-HW-H
    KSCms-UHC-HW-V KSCpc-EUC-H UniKS-UCS2-H UniKS-UCS2-V UniKS-UTF16-H UniKS-UTF16-V
    Identity-H Identity-V
""".split())
# Encodings whose codes map to Unicode without a ToUnicode CMap (ISO 14289-1 7.21.7).
UNICODE_ENCODINGS = {"MacRomanEncoding": "mac_roman", "WinAnsiEncoding": "cp1252",
                     "MacExpertEncoding": "latin-1"}
# Character collections whose CIDs map to Unicode through Adobe's published tables.
KNOWN_COLLECTIONS = {"GB1", "CNS1", "Japan1", "Korea1"}


def _int(b: bytes) -> int:
    return int.from_bytes(b, "big") if b else 0


@dataclass
class CMap:
    """The parts of a CMap the checks use; ranges are kept, never expanded."""

    codespace: list[tuple[bytes, bytes]] = field(default_factory=list)
    chars: dict[bytes, bytes] = field(default_factory=dict)  # code -> UTF-16BE
    ranges: list[tuple[bytes, bytes, bytes | list[bytes]]] = field(default_factory=list)
    cids: dict[bytes, int] = field(default_factory=dict)
    cid_ranges: list[tuple[bytes, bytes, int]] = field(default_factory=list)
    usecmap: str | None = None
    wmode: int | None = None

    @classmethod
    def parse(cls, data: bytes) -> CMap:
        cmap = cls()
        tokens = [t for t in TOKEN.finditer(data[:MAX_CMAP_BYTES]) if t.group(0)[:1] not in b"%("]
        section, operands = None, []
        for i, tok in enumerate(tokens):
            hexa, word, nm = tok.group(1), tok.group(5), tok.group(4)
            if word is not None:
                w = word.decode()
                if w.startswith("begin") and w != "begincmap":
                    section, operands = w[5:], []
                elif w.startswith("end") and w[3:] == section:
                    cmap._section(section, operands)
                    section = None
                elif w == "usecmap" and i and tokens[i - 1].group(4):
                    cmap.usecmap = tokens[i - 1].group(4).decode("latin-1")
                elif w == "def" and i > 1 and tokens[i - 2].group(4) == b"WMode":
                    cmap.wmode = int(tokens[i - 1].group(6) or 0)
            elif section is not None:
                if hexa is not None:
                    digits = re.sub(rb"\s", b"", hexa).decode()
                    operands.append(bytes.fromhex(digits + "0" * (len(digits) % 2)))
                elif tok.group(2) or tok.group(3):
                    operands.append(tok.group(2) or tok.group(3))
                elif tok.group(6) is not None:
                    operands.append(int(tok.group(6)))
                elif nm is not None:
                    operands.append(("name", nm))
        return cmap

    def _section(self, section: str, ops: list) -> None:
        if section == "codespacerange":
            pairs = zip(ops[::2], ops[1::2], strict=False)
            self.codespace += [(a, b) for a, b in pairs if isinstance(a, bytes)
                               and isinstance(b, bytes) and len(a) == len(b)]
        elif section == "bfchar":
            self.chars.update({a: b for a, b in zip(ops[::2], ops[1::2], strict=False)
                               if isinstance(a, bytes) and isinstance(b, bytes)})
        elif section == "bfrange":
            i = 0
            while i + 2 < len(ops):
                lo, hi, dst = ops[i], ops[i + 1], ops[i + 2]
                if dst == b"[":
                    end = ops.index(b"]", i + 3) if b"]" in ops[i + 3:] else len(ops)
                    dst, i = [d for d in ops[i + 3:end] if isinstance(d, bytes)], end + 1
                else:
                    i += 3
                if isinstance(lo, bytes) and isinstance(hi, bytes) and \
                        isinstance(dst, (bytes, list)):
                    self.ranges.append((lo, hi, dst))
        elif section in ("cidchar", "cidrange"):
            step = 2 if section == "cidchar" else 3
            for j in range(0, len(ops) - step + 1, step):
                group = ops[j:j + step]
                if section == "cidchar" and isinstance(group[0], bytes) and \
                        isinstance(group[1], int):
                    self.cids[group[0]] = group[1]
                elif section == "cidrange" and isinstance(group[2], int):
                    self.cid_ranges.append((group[0], group[1], group[2]))

    def unicode(self, code: bytes) -> bytes | None:
        """UTF-16BE for a code, or None if the CMap does not map it."""
        if code in self.chars:
            return self.chars[code]
        for lo, hi, dst in self.ranges:
            if len(lo) == len(code) and _int(lo) <= _int(code) <= _int(hi):
                offset = _int(code) - _int(lo)
                if isinstance(dst, list):
                    return dst[offset] if offset < len(dst) else None
                return (_int(dst) + offset).to_bytes(max(len(dst), 2), "big") if dst else b""
        return None

    def cid(self, code: bytes) -> int | None:
        if code in self.cids:
            return self.cids[code]
        for lo, hi, start in self.cid_ranges:
            if len(lo) == len(code) and _int(lo) <= _int(code) <= _int(hi):
                return start + _int(code) - _int(lo)
        return None

    def split(self, data: bytes) -> list[bytes]:
        """Cut a shown string into codes by the codespace ranges (ISO 32000-1 9.7.6.2)."""
        codes, i = [], 0
        lengths = sorted({len(lo) for lo, _ in self.codespace}) or [1]
        while i < len(data):
            for n in lengths:
                code = data[i:i + n]
                if len(code) == n and any(len(lo) == n and self._within(lo, hi, code)
                                          for lo, hi in self.codespace):
                    break
            else:
                n = lengths[0]
            codes.append(data[i:i + n])
            i += n
        return codes

    @staticmethod
    def _within(lo: bytes, hi: bytes, code: bytes) -> bool:
        """Codespace ranges bound each byte on its own (ISO 32000-1 9.7.6.2)."""
        return all(a <= c <= b for a, b, c in zip(lo, hi, code, strict=False))

    def bad_values(self) -> tuple[int, int]:
        """How many mappings give U+0000 (31-028), and how many U+FEFF or U+FFFE (31-029)."""
        # An empty destination (<>, as WeasyPrint writes for glyphs it cannot map back) is
        # no U+0000: unicode() returns b"" and 10-001 counts the code as unmapped.
        zero = bom = 0
        for dst in self.chars.values():
            units = [_int(dst[j:j + 2]) for j in range(0, len(dst), 2)]
            zero += 0 in units
            bom += any(u in (0xFEFF, 0xFFFE) for u in units)
        for lo, hi, dst in self.ranges:
            if isinstance(dst, list):
                for d in dst:
                    units = [_int(d[j:j + 2]) for j in range(0, len(d), 2)]
                    zero += 0 in units
                    bom += any(u in (0xFEFF, 0xFFFE) for u in units)
            elif len(dst) >= 2:
                first, last = _int(dst[-2:]), _int(dst[-2:]) + _int(hi) - _int(lo)
                zero += (first == 0) + sum(_int(dst[j:j + 2]) == 0
                                           for j in range(0, len(dst) - 2, 2))
                bom += any(first <= u <= last for u in (0xFEFF, 0xFFFE))
        return zero, bom


def read_stream(obj: object) -> bytes | None:
    if not is_stream(obj):
        return None
    try:
        return obj.read_bytes()  # type: ignore[union-attr]
    except (pikepdf.PdfError, ValueError, NotImplementedError):
        return None


class FontInfo:
    """One font dictionary, read once."""

    def __init__(self, font: object) -> None:
        self.font = font
        self.subtype = name(get(font, "/Subtype")) or "?"
        self.base = name(get(font, "/BaseFont")) or "?"
        descendants = as_list(get(font, "/DescendantFonts"))
        self.cidfont = descendants[0] if self.subtype == "Type0" and descendants else None
        self.descriptor = get(self.cidfont if self.cidfont is not None else font, "/FontDescriptor")
        self.encoding = get(font, "/Encoding")

    @property
    def embedded(self) -> bool:
        return any(get(self.descriptor, k) is not None for k in ("/FontFile", "/FontFile2",
                                                                 "/FontFile3"))

    @property
    def symbolic(self) -> bool:
        flags = get(self.descriptor, "/Flags")
        return bool(flags & 4) if isinstance(flags, int) else False

    @cached_property
    def encoding_cmap(self) -> CMap | None:
        data = read_stream(self.encoding) if self.subtype == "Type0" else None
        return CMap.parse(data) if data is not None else None

    @cached_property
    def to_unicode(self) -> CMap | None:
        data = read_stream(get(self.font, "/ToUnicode"))
        return CMap.parse(data) if data is not None else None

    @property
    def simple_encoding(self) -> str | None:
        """The base encoding name of a simple font, if any."""
        if is_dict(self.encoding):
            return name(get(self.encoding, "/BaseEncoding"))
        return name(self.encoding)

    def codes(self, data: bytes) -> list[bytes] | None:
        """Codes in a shown string; None when the encoding CMap is predefined and not Identity."""
        if self.subtype != "Type0":
            return [data[i:i + 1] for i in range(len(data))]
        if name(self.encoding) in ("Identity-H", "Identity-V"):
            return [data[i:i + 2] for i in range(0, len(data), 2)]
        return self.encoding_cmap.split(data) if self.encoding_cmap else None

    def decode(self, data: bytes) -> str:
        """Text for a shown string, as an extractor would get it ('\ufffd' where unmapped)."""
        codes = self.codes(data) or []
        out = []
        for code in codes:
            u = self.to_unicode.unicode(code) if self.to_unicode else None
            if u is not None:
                out.append(u.decode("utf-16-be", errors="replace"))
            elif self.subtype != "Type0":
                codec = UNICODE_ENCODINGS.get(self.simple_encoding or "", "latin-1")
                out.append(code.decode(codec))
            else:
                out.append("\ufffd")
        return "".join(out)
