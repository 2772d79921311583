"""The dashboard's server: app.py's pages, plus the routes that set and clear the sign-in cookie
(pci_metrics.ui.routes) and the security headers on every response (pci_metrics.ui.headers).
``python -m pci_metrics.ui.serve`` runs it with ``streamlit run``, which serves an ``st.App``
through Streamlit's own ASGI server."""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware

from pci_metrics.base.paths import APP_FILE
from pci_metrics.ui.headers import SecurityHeaders
from pci_metrics.ui.routes import ROUTES

app = st.App(str(APP_FILE), routes=ROUTES, middleware=[Middleware(SecurityHeaders)])
