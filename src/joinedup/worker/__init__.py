"""`joinedup worker`: runs queued tasks, recovers abandoned ones, and keeps the daily schedule."""
