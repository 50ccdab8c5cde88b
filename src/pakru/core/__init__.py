"""The values that flow through pakru: claims and sources (model), EDTF dates, text folding, errors.

They import nothing of pakru's other layers.
"""
