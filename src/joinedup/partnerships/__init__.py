"""Partnerships, their member organisations, and who may do what in each."""
