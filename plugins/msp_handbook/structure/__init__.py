"""The generated things: which pages a handbook has, and views of a record's progress."""

from .pages import GeneratedPage, handbook_pages
from .progress import cycle_progress

__all__ = ["GeneratedPage", "handbook_pages", "cycle_progress"]
