"""The service-point configurator: from a catalog and agency demand to a sized, laid-out plan."""

__version__ = "0.1.0"
