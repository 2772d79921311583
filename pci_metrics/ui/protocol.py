"""A visitor without a browser: one Streamlit session driven over Streamlit's own websocket protocol.

The browser talks to ``/_stcore/stream`` in ``streamlit.proto`` messages; so does this client. It
sends the BackMsgs a browser sends — ``rerun_script`` with a page's URL path (the first visit) or its
page script hash (a click in the sidebar), the query string, and the widget states (a changed
widget) — and a ``backend_operation_request`` for a deferred download, and reads ForwardMsgs until
that run's ``script_finished``. What a run drew (its elements, the pages its navigation lists) is
returned, so a caller can check the page it got and find the widgets on it.

Used by the server's warm-up (:mod:`pci_metrics.ui.warmup`), the server-side load test
(``scripts/bench_capacity.py``) and the tests of both. It writes nothing: a signed-out visitor only
reads.
"""

from __future__ import annotations

import ssl
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import ClientConnection, connect

# Over HTTPS a visitor inside the server connects to its own server on the loopback address, which the
# certificate (made for the office network's names) need not name: the connection is not checked,
# nothing secret crosses it and it never leaves this machine.
LOOPBACK_TLS = ssl.create_default_context()
LOOPBACK_TLS.check_hostname = False
LOOPBACK_TLS.verify_mode = ssl.CERT_NONE

TIMEOUT_S = 180.0
ERROR_ALERT = Alert.Format.ERROR
_DONE = {ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
         ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR}


class ProtocolError(RuntimeError):
    """The server did not answer as a Streamlit server does (or not in time)."""


def rerun_message(page: str, query: str, *, page_hash: str = "",
                  widgets: dict[str, WidgetState] | None = None) -> bytes:
    """The BackMsg a browser sends to open ``/<page>?<query>`` ("" is the default page), or to rerun
    the page ``page_hash`` with the widget states ``widgets``.

    >>> msg = BackMsg.FromString(rerun_message("compare", "lang=en"))
    >>> msg.rerun_script.page_name, msg.rerun_script.query_string
    ('compare', 'lang=en')
    """
    msg = BackMsg()
    msg.rerun_script.page_name = page
    msg.rerun_script.query_string = query
    msg.rerun_script.page_script_hash = page_hash
    for state in (widgets or {}).values():
        msg.rerun_script.widget_states.widgets.append(state)
    return bytes(msg.SerializeToString())


@dataclass
class Run:
    """What one script run sent: its elements in order (kind, proto), whether it finished, the
    problems it showed and the bytes received."""

    elements: list[tuple[str, Any]] = field(default_factory=list)
    finished: bool = False
    problems: list[str] = field(default_factory=list)  # exceptions and error boxes shown
    received: int = 0

    def of_kind(self, kind: str) -> list[Any]:
        """The elements of one kind ("plotly_chart", "selectbox", "download_button", ...)."""
        return [e for k, e in self.elements if k == kind]


@dataclass
class Page:
    """A page the navigation lists."""

    url_path: str
    script_hash: str
    hidden: bool


class Session:
    """One visitor's session on a running server (``url`` like ``http://127.0.0.1:8501``)."""

    def __init__(self, url: str, timeout: float = TIMEOUT_S) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.session_id = ""
        self.pages: list[Page] = []
        self.page_hash = ""
        self.query = ""
        self.widgets: dict[str, WidgetState] = {}
        ws_url = self.url.replace("http://", "ws://").replace("https://", "wss://") + "/_stcore/stream"
        # no keepalive pings: a browser sends none, and a busy server answering late is not an error
        tls = LOOPBACK_TLS if ws_url.startswith("wss://") else None
        self._ws: ClientConnection = connect(ws_url, max_size=None, open_timeout=timeout, ping_interval=None,
                                             ssl=tls)

    def close(self) -> None:
        self._ws.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read_run(self) -> Run:
        """Read ForwardMsgs until the running script finishes (or the timeout passes)."""
        run = Run()
        deadline = time.monotonic() + self.timeout
        while (left := deadline - time.monotonic()) > 0:
            raw = self._ws.recv(timeout=left)
            if not isinstance(raw, bytes):
                continue
            run.received += len(raw)
            msg = ForwardMsg.FromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.session_id = msg.new_session.initialize.session_id or self.session_id
                self.page_hash = msg.new_session.page_script_hash or self.page_hash
            elif kind == "navigation":
                self.pages = [Page(p.url_pathname, p.page_script_hash, p.is_hidden)
                              for p in msg.navigation.app_pages if not p.external_url]
                self.page_hash = msg.navigation.page_script_hash or self.page_hash
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                el_kind = element.WhichOneof("type") or ""
                el = getattr(element, el_kind) if el_kind else None
                run.elements.append((el_kind, el))
                if el_kind == "exception":
                    run.problems.append(f"{el.type}: {el.message}")
                elif el_kind == "alert" and el.format == ERROR_ALERT:
                    run.problems.append(el.body)
            elif kind == "script_finished":
                run.finished = msg.script_finished in _DONE
                return run
        raise ProtocolError(f"no script_finished within {self.timeout:.0f} s")

    def open(self, page: str = "", query: str = "") -> Run:
        """Arrive at ``/<page>?<query>`` (what a browser's first request does)."""
        self.query = query
        self._ws.send(rerun_message(page, query))
        return self._read_run()

    def go(self, url_path: str) -> Run:
        """Change page through the sidebar (same session): a rerun with the page's script hash."""
        target = next((p for p in self.pages if p.url_path == url_path), None)
        if target is None:
            raise ProtocolError(f"the navigation lists no page {url_path!r}")
        self.widgets = {}
        self.page_hash = target.script_hash
        self._ws.send(rerun_message(url_path, self._lang_query(), page_hash=target.script_hash))
        return self._read_run()

    def _lang_query(self) -> str:
        """The query string a sidebar link keeps: only the language (page choices belong to a page)."""
        kept = [p for p in self.query.split("&") if p.startswith("lang=")]
        return "&".join(kept)

    def set_widget(self, widget_id: str, **value: Any) -> Run:
        """Change one widget (e.g. ``string_value="2022"`` for a selectbox) and rerun the page with
        every widget state set so far, as the browser does."""
        state = WidgetState(id=widget_id, **value)
        self.widgets[widget_id] = state
        self._ws.send(rerun_message("", self.query, page_hash=self.page_hash, widgets=self.widgets))
        return self._read_run()

    def download(self, button: Any) -> bytes:
        """Click a download button: the file's bytes (see :meth:`file_url` and :meth:`fetch`)."""
        return self.fetch(self.file_url(button))

    def file_url(self, button: Any) -> str:
        """Where a download button's file is: given with the page, or (a deferred file) made by the
        server when asked, as the browser asks on the click."""
        if not button.deferred_file_id:
            return str(button.url)
        msg = BackMsg()
        request_id = str(uuid.uuid4())
        msg.backend_operation_request.request_id = request_id
        msg.backend_operation_request.session_id = self.session_id
        msg.backend_operation_request.deferred_file.file_id = button.deferred_file_id
        self._ws.send(bytes(msg.SerializeToString()))
        return self._operation_url(request_id)

    def fetch(self, url: str) -> bytes:
        """GET a file the server serves (a media URL is relative to the server)."""
        with urllib.request.urlopen(self.url + url if url.startswith("/") else url, timeout=self.timeout) as r:
            return bytes(r.read())

    def _operation_url(self, request_id: str) -> str:
        deadline = time.monotonic() + self.timeout
        while (left := deadline - time.monotonic()) > 0:
            raw = self._ws.recv(timeout=left)
            if not isinstance(raw, bytes):
                continue
            msg = ForwardMsg.FromString(raw)
            if msg.WhichOneof("type") == "backend_operation_response":
                resp = msg.backend_operation_response
                if resp.request_id == request_id:
                    if resp.error_msg:
                        raise ProtocolError(resp.error_msg)
                    return str(resp.deferred_file.url)
        raise ProtocolError(f"no file within {self.timeout:.0f} s")


def widget_id(run: Run, kind: str, key: str) -> str:
    """The id of the widget of ``kind`` whose user key is ``key`` (Streamlit ends the id with it)."""
    for el in run.of_kind(kind):
        if el.id.endswith("-" + key):
            return str(el.id)
    raise ProtocolError(f"no {kind} with key {key!r} on the page")
