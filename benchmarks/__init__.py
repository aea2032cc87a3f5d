"""Mue's benchmarks, run by ``make bench`` (``python -m benchmarks``); see :mod:`benchmarks.__main__`."""

from benchmarks.harness import Context, Result, StepOutput, timer

__all__ = ["Context", "Result", "StepOutput", "timer"]
