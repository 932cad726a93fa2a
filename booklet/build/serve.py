"""`booklet serve`: preview the web edition in a browser, rebuilt and reloaded on save.

The output folder is served over HTTP (on 127.0.0.1 unless `--host` says otherwise)
by a thread while this one runs `booklet watch`'s loop (`booklet.build.watch.Watcher`).
Only when served, each HTML page gets a small script that listens for rebuilds
(Server-Sent Events) and reloads the page, and the page's Content-Security-Policy is
widened to let that one script run; nothing of this is written into the files. A
save that breaks a booklet leaves its last good output in place, and every page
served until it is fixed shows the `file:line: message` lines in a box at the top,
as the terminal does.
"""

from __future__ import annotations

import errno
import functools
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import escape

from ..errors import BookletError, one_line
from ..options import BuildOptions
from .outputs import Outcome
from .report import print_outcome
from .watch import Report, Saves, Watcher, warm_up

#: Paths the preview answers itself (never files of the output folder).
PREFIX = "/__booklet/"
EVENTS = PREFIX + "events"
SCRIPT = PREFIX + "live.js"
STYLE = PREFIX + "live.css"
#: Seconds between keep-alive comments on an idle event stream.
KEEPALIVE = 15.0

LIVE_JS = b"""// booklet serve: reload this page when a rebuild has finished (never in dist/).
(function () {
  var shown = document.currentScript.getAttribute("data-generation");
  var events = new EventSource("/__booklet/events");
  events.addEventListener("build", function (event) {
    if (event.data !== shown) { location.reload(); }
  });
})();
"""
LIVE_CSS = b"""/* booklet serve: the box listing the problems of the last save. */
.booklet-problems { position: sticky; top: 0; z-index: 100; margin: 0; padding: 0.8rem 1rem;
  background: #fff4f4; color: #5c0000; border-bottom: 4px solid #b00020;
  font: 1rem/1.4 system-ui, sans-serif; }
.booklet-problems h2 { margin: 0 0 0.4rem; font-size: 1.1rem; color: #5c0000; }
.booklet-problems pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere;
  font: 0.9rem/1.4 ui-monospace, monospace; }
"""


class LiveState:
    """The number of the last finished rebuild and the problems standing after it."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.generation = 0
        self.problems: dict[str, list[str]] = {}
        self.stopping = False

    def outcome(self, outcome: Outcome) -> None:
        """Note one booklet's result: its problems stand until it builds again."""
        with self.changed:
            if outcome.ok:
                self.problems.pop(outcome.slug, None)
            else:
                self.problems[outcome.slug] = [str(p) for p in outcome.problems]

    def config_problem(self, error: BookletError | None) -> None:
        """Note a broken (or mended, with None) booklet.toml."""
        with self.changed:
            if error is None:
                self.problems.pop("", None)
            else:
                self.problems[""] = [str(p) for p in error.problems]

    def publish(self) -> None:
        """A rebuild has finished: tell every open page."""
        with self.changed:
            self.generation += 1
            self.changed.notify_all()

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()

    def lines(self) -> list[str]:
        with self.changed:
            return [line for key in sorted(self.problems) for line in self.problems[key]]


class PreviewHandler(SimpleHTTPRequestHandler):
    """Files of the output folder, with the live-reload script and problems in pages."""

    state: LiveState

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = urlsplit(self.path).path
        if path == EVENTS:
            return self._events()
        if path in (SCRIPT, STYLE):
            kind = "text/javascript" if path == SCRIPT else "text/css"
            return self._send(LIVE_JS if path == SCRIPT else LIVE_CSS, f"{kind}; charset=utf-8")
        file = Path(self.translate_path(self.path))
        if path == "/favicon.ico" and not file.is_file():  # browsers ask; pages name none
            self.send_response(HTTPStatus.NO_CONTENT)
            return self.end_headers()
        if file.is_dir():
            file = file / "index.html"
        if file.suffix == ".html" and (file.is_file() or self.state.lines()):
            return self._page(file)
        return super().do_GET()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a preview always shows the last build
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # the terminal is for the build's own lines

    def _page(self, file: Path) -> None:
        try:
            html = file.read_text(encoding="utf-8")
        except OSError:
            html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\" />" \
                   "<title>booklet serve</title></head><body><main></main></body></html>"
        self._send(live_page(html, self.state).encode("utf-8"), "text/html; charset=utf-8")

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        """An event stream: `build` with the generation now, then after each rebuild."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        state, sent = self.state, None
        try:
            while True:
                with state.changed:
                    if state.generation == sent and not state.stopping:
                        state.changed.wait(KEEPALIVE)
                    if state.stopping:
                        return
                    generation = state.generation
                message = f"event: build\ndata: {generation}\n\n" if generation != sent \
                    else ": still here\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
                sent = generation
        except (BrokenPipeError, ConnectionResetError):
            return


def live_page(html: str, state: LiveState) -> str:
    """A page as served: its policy letting the live script run, the script, and the
    problems box when the last save broke something."""
    from ..web.page import CSP

    live = CSP + "; script-src 'self'; connect-src 'self'"
    for form in (CSP, str(escape(CSP))):  # as written, or as the template escaped it
        html = html.replace(f'content="{form}"', f'content="{live}"', 1)
    head = f'<link rel="stylesheet" href="{STYLE}" />\n</head>'
    html = html.replace("</head>", head, 1)
    lines = state.lines()
    box = ""
    if lines:
        box = ('<section class="booklet-problems" role="alert" aria-labelledby="booklet-problems">'
               '<h2 id="booklet-problems">booklet: the last save has problems; this is the '
               f'last good build</h2><pre>{escape(chr(10).join(lines))}</pre></section>\n')
    script = f'<script src="{SCRIPT}" data-generation="{state.generation}"></script>\n'
    if "<body" in html:
        start = html.index(">", html.index("<body")) + 1
        html = html[:start] + "\n" + box + html[start:]
    return html.replace("</body>", script + "</body>", 1)


def open_server(out: Path, host: str, port: int, state: LiveState) -> ThreadingHTTPServer:
    """A server for `out` bound to host:port; a clear `BookletError` when it can't be."""
    handler = type("Handler", (PreviewHandler,), {"state": state})
    try:
        server = ThreadingHTTPServer((host, port), functools.partial(handler,
                                                                     directory=str(out)))
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            message = (f"booklet serve: port {port} on {host} is in use; stop what uses "
                       "it, or choose another with --port")
        else:
            message = f"booklet serve: cannot serve on {host}:{port}: {error.strerror or error}"
        raise BookletError.at(None, None, message) from None
    server.daemon_threads = True
    return server


class ChosenWatcher(Watcher):
    """A watcher that builds only the booklet folders named on the command line."""

    def __init__(self, folders: list[Path], options: BuildOptions,
                 on_done: Callable[[Outcome], None]) -> None:
        self.folders = [folder.resolve() for folder in folders]
        parent = Path(*Path(folders[0]).resolve().parts[:-1])
        super().__init__(parent, options, on_done)

    def affected(self, changed):  # type: ignore[no-untyped-def]
        return [f for f in super().affected(changed) if f.resolve() in self.folders]

    def build_all(self) -> list[Outcome]:
        from .pipeline import build

        return build(self.folders, self.options, on_done=self.on_done, renderer=self.renderer,
                     workers=self.workers)


def run(content_dir: Path, folders: list[Path], options: BuildOptions, host: str, port: int,
        stop_event: threading.Event | None = None) -> int:
    """Serve the output folder, build, then rebuild on every save until Ctrl-C.

    As in `booklet watch`, watching starts before the first build (a save made during
    it is built next), and files booklet.toml names are watched once it names them."""
    if "html" not in options.formats:
        options = replace(options, formats=(*options.formats, "html"))
    options.out.mkdir(parents=True, exist_ok=True)
    state = LiveState()
    server = open_server(options.out, host, port, state)

    def done(outcome: Outcome) -> None:
        print_outcome(outcome)
        state.outcome(outcome)

    thread = threading.Thread(target=server.serve_forever, name="booklet-serve", daemon=True)
    saves: Saves | None = None
    watcher: Watcher | None = None
    try:
        watcher = ChosenWatcher(folders, options, done) if folders else \
            Watcher(content_dir, options, done)
        if watcher.workers is None:
            warm_up()
        report = Report()
        saves = Saves(watcher.paths(), stop_event, expected=watcher.paths)
        report(watcher.build_all())
        state.publish()
        thread.start()
        shown = f"[{host}]" if ":" in host else host
        print(f"serving {one_line(str(options.out))}/ at "
              f"http://{shown}:{server.server_address[1]}/ (Ctrl-C to stop)", flush=True)
        watcher.idle()
        shown_lines = state.lines()
        while (changes := saves.next()) is not None:
            try:
                outcomes = watcher.rebuild(changes)
                state.config_problem(None)
            except BookletError as error:  # a broken booklet.toml: report, keep serving
                print(error, file=sys.stderr)
                state.config_problem(error)
                outcomes = []
            if outcomes and any(not o.skipped for o in outcomes) or \
                    outcomes and report.failing:
                report(outcomes)
                state.publish()
                watcher.idle()
            elif not outcomes and state.lines() != shown_lines:
                state.publish()  # booklet.toml broken, or mended
            shown_lines = state.lines()
            saves.follow(watcher.paths())
    except KeyboardInterrupt:
        pass
    finally:
        if saves is not None:
            saves.close()
        if watcher is not None:
            watcher.close()
        state.stop()
        if thread.is_alive():
            server.shutdown()
        server.server_close()
    print("stopped", flush=True)
    return 0
