"""The read-only API: partnerships, rounds and results for analysts, by personal token."""
