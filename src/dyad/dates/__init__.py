"""Event dates: date words attached to a trigger, resolved against the publication date."""

from dyad.dates.resolve import date_expressions, dateline, event_date, resolve_expression

__all__ = ["date_expressions", "dateline", "event_date", "resolve_expression"]
