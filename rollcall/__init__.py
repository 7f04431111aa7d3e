"""rollcall: find and reduce chronic absence, exactly."""

__version__ = "0.1.0"
