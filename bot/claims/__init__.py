"""Checking a claim against the archive: parts, verdicts, dated evidence (`NewsBot.check`)."""

from bot.claims.types import WEAKEST_FIRST, ClaimCheck, ClaimPart, ClaimVerdict, weakest

__all__ = ["WEAKEST_FIRST", "ClaimCheck", "ClaimPart", "ClaimVerdict", "weakest"]
