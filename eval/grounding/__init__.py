"""Grounding checker: are an answer's sentences supported by the passages they cite?"""

from eval.grounding.checker import DEFAULT_THRESHOLD, GroundingChecker
from eval.grounding.citations import split_cited_sentences
from eval.grounding.types import CitedSentence, Evidence, GroundingReport, SentenceCheck, Verdict

__all__ = [
    "DEFAULT_THRESHOLD",
    "CitedSentence",
    "Evidence",
    "GroundingChecker",
    "GroundingReport",
    "SentenceCheck",
    "Verdict",
    "split_cited_sentences",
]
