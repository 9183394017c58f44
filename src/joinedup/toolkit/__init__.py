"""The Collaborative Working Toolkit: free tools anyone can preview and download.

Every tool is made from the product's own definitions (the instrument, the
analysis vocabulary and recommendations, the action plan's fields), so a
download can never disagree with the survey. See `catalogue.py` for the list.
"""
