"""The weekly update: an e-mail members choose to receive, per partnership."""
