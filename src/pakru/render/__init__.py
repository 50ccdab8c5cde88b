"""Turning results into output: JSON, plain lines for pipes, rich tables for terminals.

Each format is its own module; only ``rich_out`` imports rich, and only when a
terminal asks for it.
"""
