"""Commands for writers that do not render: `booklet new` (scaffold) and `booklet
check` (validation and readability).
"""
