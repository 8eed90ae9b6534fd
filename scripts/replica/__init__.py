"""A replica of the Bochum press portal for offline tests, demos and benchmarks.

`start_replica()` serves a generated portal on 127.0.0.1; `Portal` is the content and its ground truth.
"""
from .content import Portal, canon_key, slugify, spellings
from .server import Replica, start_replica

__all__ = ["Portal", "Replica", "canon_key", "slugify", "spellings", "start_replica"]
