"""What the commands ask of a dataset: filters, search, timeline, compare, events, citations.

They read the store and return plain values; rendering them is render/'s job.
"""
