"""Insurer billing: contracts, tariffs, billing runs and invoice lines."""
