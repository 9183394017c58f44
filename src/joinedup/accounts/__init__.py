"""People who sign in: facilitators, partner leads and viewers."""
