"""Lay out the space programme in the building's footprint: one floor-plan option per strategy and
seed, in the drawing's own coordinates.

Public names are listed in ``__init__.pyi`` (what type checkers read) and imported on first use,
so importing one module of the stage does not load the rest.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
