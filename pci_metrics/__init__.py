"""pci_metrics: the engine of the PCI dashboard (storage, metrics, imports, reports).

Core modules never import streamlit; only ``pci_metrics.ui`` may.
"""

__version__ = "0.1.0"
