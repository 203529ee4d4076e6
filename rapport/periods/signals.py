"""Signals of the cycle, for the apps above periods (the report starts when its period does)."""

from django.dispatch import Signal

# Sent inside the transaction that moved the period, with period=, state= (the new one) and actor=.
period_moved = Signal()
