"""pakru: dated, attributed, quote-checked claims on Pakistan–Russia relations."""

__version__ = "0.1.0"
