"""Synthetic workspaces for scale work: coherent, deterministic, large (see :mod:`mue.synthetic.generator`).

Not a Django app: it builds map documents and writes them through the import pipeline.
"""
