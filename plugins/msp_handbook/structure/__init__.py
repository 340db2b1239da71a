"""The generated things: which pages a handbook has, and views of a record's progress."""

from .pages import GeneratedPage, handbook_pages
from .progress import PhaseProgress, StepProgressView, cycle_progress

__all__ = ["GeneratedPage", "handbook_pages", "PhaseProgress", "StepProgressView", "cycle_progress"]
