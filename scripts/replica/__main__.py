"""`python -m replica` (with scripts/ on the path): the same as `python scripts/replica/server.py`."""
import sys

from replica.server import main

sys.exit(main())
