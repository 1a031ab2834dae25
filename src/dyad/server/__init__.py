"""`dyad serve`: a read-only web API (and the dashboard) over a store; see `app.py`."""
