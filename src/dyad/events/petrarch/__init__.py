"""PETRARCH/TABARI verb and issue dictionaries, read (reader.py, issues.py) and run on
dyad's dependency parse (coder.py)."""
