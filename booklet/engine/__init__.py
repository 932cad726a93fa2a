"""Everything booklet does to or reads from another library's internals, in one place.

Read this before upgrading WeasyPrint, Pyphen, fontTools or cffi. Each patch makes
builds faster and none should change what a page looks like: with every patch off
(`BOOKLET_ENGINE_PATCHES=off`) the bundled booklets build to PDFs with the same
pages, text, outline and fonts (`tests/engine/test_engine.py`).

`install()` imports WeasyPrint and applies the patches; it is called before anything
is laid out (`booklet.pdf.writer`, `booklet watch`, the `--jobs` workers), once per
process. It first compares the installed versions (`importlib.metadata`) with the
ones each patch was written for: a patch whose library is outside its range is not
applied, and one line on stderr names the library and its version (for example
`warning: WeasyPrint 71.0 is not a version booklet's engine was written for
(WeasyPrint >= 70.0, < 71): building without libraries, ...`).

Switches: the environment variable `BOOKLET_ENGINE_PATCHES`

- unset, `on` or `all`: every patch (the default);
- `off` or `none`: no patch, plain WeasyPrint;
- `-leaders,-fontcache`: every patch but those named;
- `leaders,instancer`: only those named (a `-name` among them still removes one).

An unknown name is ignored with a warning. The variable counts in the build cache's
digest, so switching patches rebuilds.

Patches, with the versions each is applied for (tested with WeasyPrint 70.0,
fontTools 4.68.0, Pyphen 0.18.1, cffi 2.0.0):

  switch          module       touches / why                                 written for
  gc              loader       `gc.set_threshold` in a rendering process     Python (none)
      layout allocates millions of short-lived objects: 250 collections a
      booklet become 35 (~0.1 s)
  libraries       loader       `ctypes.util.find_library`, while WeasyPrint  WeasyPrint 70.x
                               is first imported
      a missing library name WeasyPrint tries ran gcc and ld (~60 ms each);
      only ldconfig's listing, read once, is asked (~0.3 s)
  lazy-fonttools  loader       `sys.modules`: a lazy `fontTools.subset`, a   WeasyPrint 70.x,
                               stand-in `fontTools.varLib.instancer`, while  fontTools 4.40-4.x
                               WeasyPrint is first imported
      neither is used with HarfBuzz (~0.1 s)
  cffi-arrays     loader       `ffi.new` of `weasyprint.text.ffi.ffi`        WeasyPrint 70.x,
                                                                             cffi 1.15-2.x
      `hb_codepoint_t[N]`, a new N per font, ran cffi's C parser each time;
      it asks for `T[]` of length N instead (~0.07 s)
  instancer       instancer    `weasyprint.pdf.fonts.instantiateVariableFont`  WeasyPrint 70.x,
                               reads `TTFont.reader.file`                    fontTools 4.40-4.x
      variable fonts pinned to static ones by HarfBuzz in C, not by fontTools
      (~0.5 s); axes a font lacks are dropped
  fontcache       fontcache    `weasyprint.pdf.fonts.Font.clean`; reads the  WeasyPrint 70.x
                               `Font`'s attributes for its key
      a warm process (`watch`, `--jobs`) reuses fonts prepared for an earlier
      PDF, and logs again the warnings `clean` logged
  hyphenation     hyphenation  `pyphen.HyphDict` (a subclass setting         Pyphen 0.14-0.18
                               `patterns`, `maxlen`, `cache`)                (the same in all)
      the parsed patterns kept per machine, not parsed each build (~0.1 s)
  leaders         leaders      `weasyprint.layout.inline.handle_leader`;     WeasyPrint 70.x
                               uses `leader_index`, `split_first_line`,
                               `TextBox.copy_with_text`, `pango_layout`
      the contents' dot leaders drawn as one text run a line, not 1,300
      boxes (~0.25 s, PDF 8% smaller)
  attributes      attributes   `weasyprint.text.line_break.Layout.setup`;    WeasyPrint 70.x
                               swaps `FontConfiguration.font_features` for
                               a dict that caches nothing
      every text layout leaked a Pango attribute list and attribute (~0.25 MB
      a build in a long-lived process); each list now owns its attribute and
      goes with its layout
  parts           parts        `weasyprint.css.targets.TargetCollector.      WeasyPrint 70.x
                               lookup_target`; builds an `HTML` from a
                               parsed tree (its attributes), reads
                               `weasyprint.html.get_html_metadata`
      `booklet watch` lays out only the sections of a booklet a save changed
      (`booklet.pdf.parts`): the contents page is told on which pages the
      other sections' headings lie. Off: watch lays out whole booklets

Reading internals, with no switch (booklet needs them and there is no public way;
the WeasyPrint version warning covers them):

  boxes       `Page._page_box`, the classes of `weasyprint.formatting_structure.boxes`,
              a text box's `style`: where each print page begins, for the EPUB's
              page list (`booklet.epub.pagemap`). WeasyPrint 70.x.
  pageboxes   the same box tree, with each box's position, border and computed
              style: how far down each page is printed and which blocks it holds,
              for the page-break policy and the layout report
              (`booklet.pdf.breaks`, `booklet.pdf.pagefill`). WeasyPrint 70.x.
  marks       wraps `weasyprint.pdf.add_tags` to read, before it empties them, the
              `Stream._tags` (the box behind each marked-content id) and those boxes'
              text, style, line and margin box (`Page._page_box`): what the
              accessibility pass needs (`booklet.pdf.accessible`). Changes nothing
              WeasyPrint writes; outside WeasyPrint 70.x it reads nothing and the PDFs
              claim no PDF/UA conformance.
  messages    WeasyPrint's log text ("<error class>: " in "failed to load" lines,
              ".notdef glyph rendered"): not to report twice what booklet reports
              with file and line. WeasyPrint 70.x.
  folders     `FontConfiguration._folder`, the temporary folder of its font files:
              removed when booklet drops its fonts, since a command that ends at
              once never frees the configuration (`booklet.engine.folders`).
              WeasyPrint 70.x.
  connection  `http.client.HTTPConnection._create_connection`, set per connection:
              a remote fetch connects to the address booklet checked, not to a
              second lookup's (security: never off). Python 3, no check.
  objects     `weasyprint.text.fonts.FontConfiguration` and a subclass of
              `weasyprint.urls.URLFetcher` (documented, outside WeasyPrint's top
              level): the only WeasyPrint submodules used outside this package.

Left where they are, as public, documented API: `HTML().render`, `Document.write_pdf`
with its `finisher` (a pydyf `PDF`, whose page dictionaries are PDF names) and
`Document.copy` (`booklet.pdf.writer`); `URLFetcher` and `FontConfiguration`; the
`weasyprint` logger (`booklet.build.logs`); HarfBuzz's C API through booklet's own
cffi declarations (`instancer.pin_axes`, `code_points`); fontTools' public subsetter
and instancer (`booklet.epub.fonts`); PDFium's raw API (`pypdfium2.raw`) and
`ctypes.memset` on its bitmap (`booklet.epub.cover`).

`hits` counts, per patch, how often it changed what a library did in this process:
the tests use it to prove each patch is reached.
"""

from __future__ import annotations

from .counters import hits
from .patches import ENV, NAMES, PATCHES, active, check, choose, install

__all__ = ["ENV", "NAMES", "PATCHES", "active", "check", "choose", "hits", "install"]
