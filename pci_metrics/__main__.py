"""``python -m pci_metrics``: see :mod:`pci_metrics.cli.main`."""

import sys

from pci_metrics.cli.main import main

sys.exit(main())
