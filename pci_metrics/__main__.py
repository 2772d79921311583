"""``python -m pci_metrics``: see :mod:`pci_metrics.cli`."""

import sys

from .cli import main

sys.exit(main())
