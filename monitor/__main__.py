"""``python -m monitor`` runs the situation-room command."""

import sys

from monitor.cli import main

sys.exit(main())
