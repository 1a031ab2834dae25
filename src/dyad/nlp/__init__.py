from dyad.nlp.load import load_nlp

__all__ = ["load_nlp"]
