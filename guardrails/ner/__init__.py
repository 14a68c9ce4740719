"""Spielraum's own German NER model: synthetic data, training, evaluation, and the shipped model.

Only `model/` is needed at run time (loaded by `guardrails.nlp_engine`); the other modules
rebuild it (`python -m guardrails.ner.train`) and must not be imported by the guard's hot path.
"""
