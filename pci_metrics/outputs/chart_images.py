"""Chart images rendered once per data stamp and figure, then reused by every document: the quarterly
report (.docx), the slides' PDF handout and any other export of the same chart at the same size.

Rendering a PNG goes through kaleido and Chromium (:func:`pci_metrics.outputs.charts.figure_png`,
about 0.5 s an image, one at a time); a report has six charts and the handout eight, so documents
spent most of their time drawing images that had not changed since the last download. Here an
image is keyed by the data stamp of the database it shows (:func:`pci_metrics.store.storage.stamp_of`),
a digest of the figure's own spec (its data, words, colours and sizes: two different figures never
share an image) and the pixel size. When a new data stamp arrives, the images of the old one are
dropped; at most ``MAX_IMAGES`` are held (about 100 KB each).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import plotly.graph_objects as go
import plotly.io as pio

from pci_metrics.outputs import charts

MAX_IMAGES = 128
Key = tuple[str, str, int, int, float]
_LOCK = threading.Lock()
_IMAGES: OrderedDict[Key, bytes] = OrderedDict()
_STAMP = [""]
counts = {"rendered": 0, "reused": 0}  # what the cache did, for the benchmark and the tests


def spec_digest(fig: go.Figure) -> str:
    """A digest of everything the figure draws (its JSON spec)."""
    return hashlib.sha256(pio.to_json(fig, validate=False).encode("utf-8")).hexdigest()


def _remember(key: Key, data: bytes) -> None:
    with _LOCK:
        stamp = key[0]
        if stamp and stamp != _STAMP[0]:  # new data: the old data's images will not be asked again
            for old in [k for k in _IMAGES if k[0] and k[0] != stamp]:
                del _IMAGES[old]
            _STAMP[0] = stamp
        _IMAGES[key] = data
        while len(_IMAGES) > MAX_IMAGES:
            _IMAGES.popitem(last=False)


def png(fig: go.Figure, *, width: int, height: int, scale: float = 2.0, stamp: str = "") -> bytes:
    """The figure as PNG bytes, rendered once per (data stamp, figure spec, size)."""
    key: Key = (stamp, spec_digest(fig), width, height, scale)
    with _LOCK:
        hit = _IMAGES.get(key)
        if hit is not None:
            _IMAGES.move_to_end(key)
            counts["reused"] += 1
            return hit
    data = charts.figure_png(fig, width=width, height=height, scale=scale)
    _remember(key, data)
    with _LOCK:
        counts["rendered"] += 1
    return data


def clear() -> None:
    """Forget every image (tests)."""
    with _LOCK:
        _IMAGES.clear()
        _STAMP[0] = ""
