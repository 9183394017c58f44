"""Survey rounds, invitations, the survey itself, and the anonymous responses."""
