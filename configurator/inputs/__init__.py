"""Read the catalog and scenario files: YAML with line numbers, each record validated, then one
audit of every cross-reference.

Public names are listed in ``__init__.pyi`` (what type checkers read) and imported on first use,
so importing one module of the stage does not load the rest.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
