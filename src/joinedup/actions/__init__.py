"""Acting on the results: the action plan under the three actions, tracked between rounds."""
