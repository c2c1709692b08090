"""``python -m coodie ...``: the ``coodie`` command line (coodie.cli). ``drivers`` lists the
installed driver plugins; ``generated MODULE:Model`` prints the code coodie generates."""

from __future__ import annotations

import sys

from coodie.cli import main
from coodie.cli.models import generated_report

__all__ = ["generated_report", "main"]

if __name__ == "__main__":
    sys.exit(main())
