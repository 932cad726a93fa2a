"""`booklet copy`: personal copies for clients, and where a client's details never go.

One batch of the bundled booklet (a client in English, one in Spanish, bad rows) is
made once, in a throwaway project whose caches live in the test's own folders; the
tests then read the copies, the folders and what the command printed and logged.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import signal
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from pathlib import Path

import pikepdf
import pypdf
import pypdfium2
import pytest
from lxml import etree

from booklet import pdfua
from booklet.build.outputs import _render, make_renderer
from booklet.cli import main
from booklet.options import BuildOptions
from booklet.pdf.personal import CopyLayouts
from booklet.source.clients import Personal
from booklet.source.config import Config
from booklet.source.loader import load_booklet

from ..conftest import GOLDEN_BLOCKS
from ..epubcheck_run import epubcheck_report, problems
from ..helpers import EPOCH, ROOT, booklet_md
from ..pdf.test_prefill import appearance_lines
from ..pdfcheck import outline

#: Names no booklet, template or message holds: a client's details must be found in
#: the copies' pages and nowhere else.
NAME = "Zephyrine Quillfeather"
OTHER = "Maribel Oyarzábal"
SECRETS = ("Zephyrine", "Quillfeather", "Maribel", "Oyarzábal", "Tangerine",
           "Wintergreen")
CLIENTS = "\n".join([
    "for,by,note,next,language,field:What I need,field:Lo que necesito",
    f'{NAME},Dr Lee,"Dear Zephyrine,\n\nTry the pause before Tangerine day.",'
    "Thu 10 Dec 4pm,,Time to talk about Wintergreen,",
    f"{OTHER},Dra. Lee,Hola,Jueves 10 dic,es,,Tiempo para hablar",
    ",Dr Lee,,,,,",                                  # row 4: no name
    f'{NAME},,,"Thu\nlater",,,',                        # row 5: next on two lines
    f"{NAME},,,,,,Tiempo",                             # row 6: a Spanish prompt, English edition
    f"{NAME},,,,fr,,",                                  # row 7: no French edition
]) + "\n"


def find(root: Path, *needles: str) -> list[str]:
    """Files under `root` whose name or bytes hold any of `needles` (as UTF-8, or as
    PDF/XML text escapes would write it)."""
    forms = [n.encode() for n in needles] + [n.encode("utf-16-be") for n in needles]
    found = []
    for path in root.rglob("*") if root.exists() else ():
        if any(n in path.name for n in needles):
            found.append(str(path))
        elif path.is_file() and any(f in path.read_bytes() for f in forms):
            found.append(str(path))
    return found


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Iterator[dict]:
    """The batch above, made once with `booklet copy --from` in a throwaway project:
    its folders, exit status, what it printed and every log record."""
    project = tmp_path_factory.mktemp("project")
    for name in ("partner-pushing-away", "partner-pushing-away-es"):
        shutil.copytree(ROOT / "content" / name, project / "content" / name)
    shutil.copy(ROOT / "booklet.toml", project)
    shutil.copytree(ROOT / "branding", project / "branding")
    (project / "clients.csv").write_text(CLIENTS, encoding="utf-8")
    private = tmp_path_factory.mktemp("private") / "clients" / "december"
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    root, handler = logging.getLogger(), Keep(level=logging.DEBUG)
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        patch.setenv("XDG_CACHE_HOME", str(project / "xdg"))
        patch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        level = root.level
        root.addHandler(handler)
        root.setLevel(logging.DEBUG)
        try:
            with redirect_stdout(out), redirect_stderr(err):
                status = main(["copy", "content/partner-pushing-away", "--from", "clients.csv",
                               "--out", str(private), "--format", "pdf,epub", "--jobs", "1"])
        finally:
            root.removeHandler(handler)
            root.setLevel(level)
        yield {"project": project, "out": private, "status": status, "stdout": out.getvalue(),
               "stderr": err.getvalue(), "log": "\n".join(r.getMessage() for r in records)}


def test_the_good_rows_are_made_and_the_bad_ones_named_by_row_and_column(batch):
    assert sorted(p.name for p in batch["out"].iterdir()) == [
        "2-partner-pushing-away.epub", "2-partner-pushing-away.pdf",
        "3-partner-pushing-away-es.epub", "3-partner-pushing-away-es.pdf",
        "7-partner-pushing-away.epub", "7-partner-pushing-away.pdf"]
    assert batch["status"] == 1
    assert batch["stderr"].splitlines() == [
        "clients.csv: row 4, column 'for': the client's name is required",
        "clients.csv: row 5, column 'next': must be one line",
        "clients.csv: row 6, column 'field:Lo que necesito': no worksheet prompt 'Lo que "
        "necesito' in partner-pushing-away (its prompts: What I notice when my partner "
        "withdraws; What I need; One thing I can do for myself this week)",
        "clients.csv: row 7, column 'language': warning: no edition of partner-pushing-away "
        "in French (fr); made in English",
        "failed: rows 4, 5, 6",
    ]
    out = batch["stdout"].splitlines()
    assert out[0].startswith(f"row 2: {batch['out']}/2-partner-pushing-away.pdf (")
    assert out[1].startswith(f"row 3: {batch['out']}/3-partner-pushing-away-es.pdf (")
    assert out[2].startswith(f"row 7: {batch['out']}/7-partner-pushing-away.pdf (")
    assert out[3].startswith("3 copies made in ")


def test_the_cover_note_and_back_cover_are_the_clients(batch):
    pages = [p.extract_text() for p in pypdf.PdfReader(batch["out"] / "2-partner-pushing-away.pdf")
             .pages]
    assert f"Prepared for {NAME} by Dr Lee, November 24, 2025" in pages[0]
    assert pages[1].lstrip().startswith("Contents")
    assert pages[2].lstrip().startswith("A note for you\nDear Zephyrine,\nTry the pause")
    assert "Why your partner may pull away" not in pages[2]  # the note is a page of its own
    assert pages[3].lstrip().startswith("Why your partner may pull away")
    assert "Your next appointment: Thu 10 Dec 4pm" in pages[-1]
    spanish = [p.extract_text() for p in
               pypdf.PdfReader(batch["out"] / "3-partner-pushing-away-es.pdf").pages]
    assert f"Preparado para {OTHER} por Dra. Lee, 24 de noviembre de 2025" in \
        " ".join(spanish[0].split())
    assert spanish[2].lstrip().startswith("Una nota para ti\nHola")
    assert "Tu próxima cita: Jueves 10 dic" in spanish[-1]


def test_the_worksheet_fields_are_filled_in_and_editable(batch):
    pdf = pikepdf.open(batch["out"] / "2-partner-pushing-away.pdf")
    fields = {str(f.T): f for f in pdf.Root.AcroForm.Fields}
    assert str(fields["what-i-need"].V) == "Time to talk about Wintergreen"
    assert appearance_lines(fields["what-i-need"]) == ["Time to talk about Wintergreen"]
    assert int(fields["what-i-need"].get("/Ff", 0)) & 1 == 0
    assert str(fields["what-i-notice-when-my-partner-withdraws"].V) == ""
    spanish = pypdf.PdfReader(batch["out"] / "3-partner-pushing-away-es.pdf").get_fields()
    assert spanish["lo-que-necesito"]["/V"] == "Tiempo para hablar"


def test_the_epub_shows_the_note_and_the_answer(batch):
    with zipfile.ZipFile(batch["out"] / "2-partner-pushing-away.epub") as epub:
        opf = etree.fromstring(epub.read("EPUB/content.opf"))
        ns = {"opf": "http://www.idpf.org/2007/opf"}
        manifest = {i.get("id"): i.get("href") for i in opf.iterfind(".//opf:item", ns)}
        spine = [manifest[r.get("idref")] for r in opf.iterfind(".//opf:itemref", ns)]
        assert spine[:4] == ["cover.xhtml", "titlepage.xhtml", "nav.xhtml", "note.xhtml"]
        note = etree.fromstring(epub.read("EPUB/note.xhtml"))
        assert "Try the pause before Tangerine day." in "".join(note.itertext())
        assert f"Prepared for {NAME}" in epub.read("EPUB/titlepage.xhtml").decode()
        assert "Your next appointment" in epub.read("EPUB/colophon.xhtml").decode()
        texts = [epub.read(n).decode() for n in epub.namelist() if n.endswith(".xhtml")]
        part = next(text for text in texts if "worksheet" in text)
        assert '<p class="worksheet-answer-text">Time to talk about Wintergreen</p>' in part


def test_the_metadata_stays_generic(batch):
    for name in ("2-partner-pushing-away.pdf", "3-partner-pushing-away-es.pdf"):
        pdf = pikepdf.open(batch["out"] / name)
        info = " ".join(str(v) for v in pdf.docinfo.values())
        xmp = str(pdf.open_metadata())
        outline = " ".join(str(item.title) for item in pdf.open_outline().root)
        assert not [s for s in SECRETS if s in info + xmp + outline]
        assert str(pdf.docinfo["/Title"]) in ("When Your Partner Pulls Away",
                                              "Cuando tu pareja se aleja")
    for name in ("2-partner-pushing-away.epub", "3-partner-pushing-away-es.epub"):
        with zipfile.ZipFile(batch["out"] / name) as epub:
            package = b"".join(epub.read(n) for n in ("EPUB/content.opf", "EPUB/nav.xhtml",
                                                      "EPUB/toc.ncx"))
            assert not [s for s in SECRETS if s.encode() in package]


def test_nothing_of_the_client_is_printed_logged_or_cached(batch):
    project = batch["project"]
    said = batch["stdout"] + batch["stderr"] + batch["log"]
    assert not [s for s in SECRETS if s in said]
    assert (project / "xdg" / "booklet" / "templates").is_dir()  # the caches were used ...
    assert find(project / "xdg", *SECRETS) == []  # ... and hold no client text
    assert find(project / ".cache", *SECRETS) == []
    assert find(project / "content", *SECRETS) == []
    assert not (project / "dist").exists()
    assert not [p for p in batch["out"].iterdir() if any(s in p.name for s in SECRETS)]


def test_copies_and_their_folders_are_the_owners_alone(batch):
    out = batch["out"]
    assert [oct(p.stat().st_mode & 0o777) for p in (out, out.parent)] == ["0o700", "0o700"]
    assert {oct(p.stat().st_mode & 0o777) for p in out.iterdir()} == {"0o600"}
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_the_copies_pdfs_pass_the_pdfua_checker(batch):
    """Filled fields (a value and an appearance) and the note page keep a copy as
    accessible as the generic edition."""
    for name in ("2-partner-pushing-away.pdf", "3-partner-pushing-away-es.pdf"):
        report = pdfua.check(batch["out"] / name)
        assert report.ok, "\n".join(str(failure) for failure in report.failures)


def test_the_copies_epub_passes_epubcheck(batch):
    report = epubcheck_report(batch["out"] / "2-partner-pushing-away.epub")
    assert problems(report) == []


# --- a small booklet: single copies, refusals, permissions, the interrupted batch -----

SMALL = booklet_md("title: Small\nlanguage: en", body="""\
# Part one

Text.

::: worksheet
- What I need
:::
""")


@pytest.fixture
def small(tmp_project, tmp_path, monkeypatch) -> Path:
    """A project with one small booklet, in `tmp_path / "project"` (the working folder)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    root = tmp_project({"project/content/small/booklet.md": SMALL})
    monkeypatch.chdir(root / "project")
    return root / "project"


def test_a_single_copy_from_the_command_line(small, tmp_path, capsys):
    import resource

    out = tmp_path / "private"
    limit = resource.getrlimit(resource.RLIMIT_CORE)
    try:
        assert main(["copy", "content/small", "--for", NAME, "--field", "What I need=Rest",
                     "--note", "<b>{{ 7*7 }}</b>", "--file", "for-z", "--out", str(out)]) == 0
        assert resource.getrlimit(resource.RLIMIT_CORE)[0] == 0  # no core file of a crash
    finally:
        resource.setrlimit(resource.RLIMIT_CORE, limit)
    assert sorted(p.name for p in out.iterdir()) == ["for-z.pdf"]
    reader = pypdf.PdfReader(out / "for-z.pdf")
    assert f"Prepared for {NAME}," in reader.pages[0].extract_text()
    assert "<b>{{ 7*7 }}</b>" in reader.pages[2].extract_text()  # the note is text, not code
    assert reader.get_fields()["what-i-need"]["/V"] == "Rest"
    printed = capsys.readouterr()
    assert printed.out.splitlines()[0].startswith(f"made: {out}/for-z.pdf (")
    assert NAME not in printed.out + printed.err


@pytest.mark.parametrize("where", ["dist", "dist/clients", ".cache/x", "content/small/copies",
                                   "content/more", "copies", "."])
def test_copies_never_go_into_the_projects_public_folders(small, capsys, where):
    assert main(["copy", "content/small", "--for", NAME, "--out", where]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"--out: {where} is inside ")
    assert err[0].endswith("; copies for clients go into a private folder outside the "
                           "project, e.g. --out ~/clients")
    assert err[-1] == "failed: nothing was made"
    assert where == "." or not (small / where).exists()


def test_folders_made_for_copies_are_private_whatever_the_umask(small, tmp_path):
    old = os.umask(0)
    try:
        assert main(["copy", "content/small", "--for", NAME, "--out",
                     str(tmp_path / "a" / "b")]) == 0
    finally:
        os.umask(old)
    assert oct((tmp_path / "a").stat().st_mode & 0o777) == "0o700"
    assert oct((tmp_path / "a" / "b" / "small.pdf").stat().st_mode & 0o777) == "0o600"


def test_an_open_existing_folder_is_pointed_out(small, tmp_path, capsys):
    out = tmp_path / "shared"
    out.mkdir(mode=0o755)
    os.chmod(out, 0o755)
    assert main(["copy", "content/small", "--for", NAME, "--out", str(out)]) == 0
    assert f"note: other users of this computer can list {out} (mode 755); the copies in it " \
           "are readable by you alone" in capsys.readouterr().err
    assert oct((out / "small.pdf").stat().st_mode & 0o777) == "0o600"


def test_unexpected_arguments_are_counted_not_repeated(small, capsys):
    assert main(["copy", "content/small", "--for", "Zephyrine", "Quillfeather", "--out",
                 "x"]) == 2
    err = capsys.readouterr().err
    assert err == ('booklet copy: 1 unexpected argument(s); a value with spaces needs quotes, '
                   'e.g. --for "Sam Lee"\n')


def test_an_interrupted_batch_leaves_only_complete_copies(small, tmp_path):
    rows = "\n".join(["for", *(f"Client {n}" for n in range(20))]) + "\n"
    (small / "clients.csv").write_text(rows, encoding="utf-8")
    out = tmp_path / "private"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "booklet", "copy", "content/small", "--from", "clients.csv",
         "--out", str(out), "--jobs", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=env)
    assert process.stdout is not None
    first = process.stdout.readline()
    assert first.startswith("row 2: ")
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=120)
    assert process.returncode == 128 + signal.SIGTERM
    made = sorted(out.iterdir())
    assert 1 <= len(made) < 20
    assert not [p for p in made if p.name.startswith(".") or not p.name.endswith(".pdf")]
    for path in made:
        assert len(pypdf.PdfReader(path).pages) >= 2


#: Installed through PYTHONPATH, so that every Python process of a batch (the command,
#: the child that writes a PDF beside it, `--jobs` workers) logs each file it opens
#: for writing.
SITECUSTOMIZE = '''
import os, sys
_log = os.environ["BOOKLET_TEST_WRITES"]
def _hook(event, args):
    if event != "open" or not isinstance(args[0], (str, bytes, os.PathLike)):
        return
    mode, flags = args[1] or "", args[2] or 0
    if any(c in mode for c in "wax+") or flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
        path = os.path.abspath(os.fsdecode(args[0]))
        if path != _log:
            fd = os.open(_log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            os.write(fd, (path + "\\n").encode())
            os.close(fd)
sys.addaudithook(_hook)
'''


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_every_file_a_batch_writes_is_a_copy_or_a_cache_without_client_text(
        small, tmp_path, jobs):
    site, tmp, xdg = tmp_path / "site", tmp_path / "tmp", tmp_path / "xdg"
    for folder in (site, tmp):
        folder.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    (small / "clients.csv").write_text(
        f"for,note,field:What I need\n{NAME},Tangerine,Wintergreen\n{OTHER},,Rest\n",
        encoding="utf-8")
    log, out = tmp_path / "writes.log", tmp_path / "private"
    env = {**os.environ, "PYTHONPATH": f"{site}{os.pathsep}{ROOT}", "TMPDIR": str(tmp),
           "XDG_CACHE_HOME": str(xdg), "BOOKLET_TEST_WRITES": str(log)}
    result = subprocess.run(
        [sys.executable, "-m", "booklet", "copy", "content/small", "--from", "clients.csv",
         "--out", str(out), "--format", "pdf,epub", "--jobs", jobs],
        capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    assert not [s for s in SECRETS if s in result.stdout + result.stderr]
    written = set(log.read_text(encoding="utf-8").splitlines())
    allowed = (out, xdg / "booklet", tmp)  # the copies; compiled templates, hyphenation
    # patterns; WeasyPrint's fonts and Python's probe of the temporary folder
    written.discard(os.devnull)  # a rendering process's standard input and output
    assert [p for p in written if not any(Path(p).is_relative_to(a) for a in allowed)] == []
    assert [p for p in written if Path(p).is_relative_to(out)
            and not Path(p).name.startswith(".")] == []  # only temporary files, renamed
    assert find(xdg, *SECRETS) == [] and find(tmp, *SECRETS) == []
    assert len(list(out.iterdir())) == 4


# --- copies laid out from the generic pages ------------------------------------------

def pictures(data: bytes) -> list[bytes]:
    """Each page of a PDF drawn by PDFium, as pixels."""
    pdf = pypdfium2.PdfDocument(data)
    return [pdf[n].render(scale=0.5).to_pil().tobytes() for n in range(len(pdf))]


@pytest.mark.parametrize("note, formats, combined", [
    ("Dear client,\n\nA short note.", ("pdf", "large-print", "epub"), 2),
    (None, ("pdf",), 1),
    (("A long note that fills more than a page. " * 12 + "\n\n") * 6, ("pdf",), 0),
], ids=["note", "no note", "long note"])
def test_a_copy_combined_from_generic_pages_is_the_copy_laid_out_whole(
        tmp_path, note, formats, combined):
    """The every-block sample (contents, sources, a worksheet) as a copy: its own cover,
    note and back cover among the template's pages give the same pages, pixel for
    pixel, outline, text and EPUB as the whole copy laid out; a note longer than the
    stand-in's page is laid out whole."""
    options = BuildOptions(out=tmp_path, formats=formats, overlap=False)
    booklet = load_booklet(GOLDEN_BLOCKS, options, Config())
    renderer = make_renderer(options, Config()).for_client(
        Personal(NAME, by="Dr Lee", note=note, next="Monday", prepared=date(2026, 12, 3)))
    layouts = CopyLayouts()
    parts, whole = _render(booklet, renderer, options, [], {}, layouts=layouts), \
        _render(booklet, renderer, options, [], {})
    assert (layouts.combined, layouts.whole) == (combined, len(formats) - combined
                                                 - formats.count("epub"))
    for fmt in set(formats) - {"epub"}:
        assert pictures(parts[fmt]) == pictures(whole[fmt])
        ours, theirs = (pypdf.PdfReader(io.BytesIO(d)) for d in (parts[fmt], whole[fmt]))
        assert [p.extract_text() for p in ours.pages] == [p.extract_text() for p in theirs.pages]
        assert outline(ours) == outline(theirs)
    if "epub" in formats:
        assert parts["epub"] == whole["epub"]


def test_a_character_the_fonts_lack_is_named_by_code_point(small, tmp_path, capsys):
    name = "Zephyrine 李"
    assert main(["copy", "content/small", "--for", name, "--out", str(tmp_path / "a")]) == 0
    assert capsys.readouterr().err.splitlines()[0] == (
        "--for: warning: U+674E has no glyph in Literata; it would print in a fallback font")
    assert main(["copy", "content/small", "--for", name, "--out", str(tmp_path / "b"),
                 "--strict"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "--for: U+674E has no glyph in Literata; it would print in a fallback font"
    assert "Zephyrine" not in "".join(err) and not (tmp_path / "b" / "small.pdf").exists()


def test_a_copy_is_made_in_the_formats_that_keep_its_fields(small, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["copy", "content/small", "--for", NAME, "--out", "x", "--format", "pdf,booklet"])
    assert exit_.value.code == 2
    assert "a personal copy is made as pdf, large-print, epub, not booklet" in \
        capsys.readouterr().err


def test_one_clients_options_do_not_go_with_a_clients_file(small, capsys):
    assert main(["copy", "content/small", "--from", "clients.csv", "--next", "Monday",
                 "--out", "x"]) == 2
    assert capsys.readouterr().err == ("booklet copy: --next go with --for; with --from, each "
                                       "row gives them in its own columns\n")


def test_a_booklet_whose_review_is_overdue_is_not_handed_out(small, tmp_path, capsys):
    source = small / "content" / "small" / "booklet.md"
    source.write_text(SMALL.replace("language: en", "language: en\nreview_due: 2020-01-01"),
                      encoding="utf-8")
    out = tmp_path / "private"
    assert main(["copy", "content/small", "--for", NAME, "--out", str(out)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "content/small/booklet.md:4: review overdue since 2020-01-01"
    assert err[-1] == "failed: nothing was made"
    assert main(["copy", "content/small", "--for", NAME, "--out", str(out),
                 "--allow-overdue"]) == 0
    assert capsys.readouterr().err.splitlines()[0] == (
        "content/small/booklet.md:4: warning: review overdue since 2020-01-01")
    assert (out / "small.pdf").is_file()


# --- review: copies in rendering processes -------------------------------------------

def test_a_copy_out_of_memory_in_a_rendering_process_is_over_budget(small, tmp_path,
                                                                     monkeypatch):
    """A MemoryError (the address-space cap) while making a copy in a rendering process
    is the budget's: the process ends, and the row fails with the limit's message."""
    from booklet.build import copies, rendering
    from booklet.build.copyplan import plan
    from booklet.source.clients import client_from_options

    options = BuildOptions(out=tmp_path / "private", overlap=False)
    config = Config()
    booklet = load_booklet(small / "content" / "small", options, config)
    [task] = plan([client_from_options(NAME)], {"small": booklet}, options, config, None)

    def out_of_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(copies, "_render", out_of_memory)
    monkeypatch.setattr(copies, "_WORKER", None)
    result = rendering._work(copies.copy_in_worker, task, options,
                             make_renderer(options, config))
    assert result == ("memory", None)


SLOW_FSYNC = '''
import os, time
_fsync = os.fsync
def _slow(fd):
    time.sleep(2)
    return _fsync(fd)
os.fsync = _slow
'''


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_batch_in_rendering_processes_leaves_no_temporary_copy(
        small, tmp_path, signum):
    """Stopped while its rendering processes write copies (each write made slow here),
    a `--jobs 2` batch leaves only whole copies: no temporary file holding a client's
    copy in the output folder."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SLOW_FSYNC, encoding="utf-8")
    rows = "\n".join(["for", *(f"Client {n}" for n in range(8))]) + "\n"
    (small / "clients.csv").write_text(rows, encoding="utf-8")
    out = tmp_path / "private"
    env = {**os.environ, "PYTHONPATH": f"{site}{os.pathsep}{ROOT}"}
    process = subprocess.Popen(
        [sys.executable, "-m", "booklet", "copy", "content/small", "--from", "clients.csv",
         "--out", str(out), "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=env)
    assert process.stdout is not None
    assert process.stdout.readline().startswith("row ")
    import time
    time.sleep(1)  # the next copies are being written
    process.send_signal(signum)
    process.communicate(timeout=120)
    assert process.returncode == 128 + signum
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_a_copy_made_one_at_a_time_is_held_to_the_budget(small, tmp_path, monkeypatch):
    """`booklet copy --jobs 1` (and `--for`, one row, or 'auto' on one CPU) renders in a
    rendering process under booklet.toml's `[limits]`, as `booklet build` does."""
    from booklet.build import workers

    started = []

    class Recorded:
        def __init__(self, options, budget, count, theme, one_build=False):
            started.append((count, budget))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            pass

        def run(self, work, items, options, finished):
            renderer = make_renderer(options, Config())
            for item in items:
                finished(item, work(item, options, renderer))

    monkeypatch.setattr(workers, "Workers", Recorded)
    (small / "booklet.toml").write_text("[limits]\nseconds = 30\n", encoding="utf-8")
    assert main(["copy", "content/small", "--for", NAME, "--out", str(tmp_path / "p"),
                 "--jobs", "1"]) == 0
    assert [(count, budget.seconds) for count, budget in started] == [(1, 30)]


def test_a_copys_contents_links_are_read_in_its_language(batch):
    """A screen reader says each contents entry of the Spanish copy in Spanish, as it
    does for the generic Spanish edition."""
    pdf = pikepdf.open(batch["out"] / "3-partner-pushing-away-es.pdf")
    said = [str(annot.Contents) for page in pdf.pages for annot in page.get("/Annots", [])
            if annot.get("/Subtype") == "/Link" and "/Contents" in annot]
    entries = [text for text in said if ", página " in text or ", page " in text]
    assert entries and all(", página " in text for text in entries), said
