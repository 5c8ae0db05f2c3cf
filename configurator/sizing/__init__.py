"""Size the point from its demand: the design hour, exact queueing, counts of every space and role
with their reasons, the space programme, and a simulation of its queues that checks them.

Public names are listed in ``__init__.pyi`` (what type checkers read) and imported on first use,
so importing one module of the stage does not load the rest.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
