"""Formatting shared by the reports of bench.py, end_to_end.py and sweep.py."""

import statistics


def median_of(rows, key):
    """The median of `key` over the rows that have it; None when none has."""
    values = [row[key] for row in rows if row.get(key) is not None]
    return statistics.median(values) if values else None


def fmt(value, pattern="%.2f"):
    return "-" if value is None else pattern % value


def verdict(ok):
    return "**met**" if ok else "**missed**"
