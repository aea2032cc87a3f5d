"""Mue: the register of an organization's digital landscape, and the workbench to audit and steer it."""

__version__ = "0.1.0"
