"""netzwerk: a personal relationship manager that lives in a folder of Markdown notes."""

__version__ = "0.1.0"
