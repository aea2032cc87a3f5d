"""Builds the optional C scanner of Squid logs; everything else is in pyproject.toml.

``optional=True``: without a C compiler the install still succeeds and discovery uses its DuckDB reader.
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("mue.discovery._logscan", ["src/mue/discovery/_logscan.c"], optional=True)])
