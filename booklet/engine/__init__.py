"""Everything that reaches into another library's internals (WeasyPrint, Pyphen,
fontTools, ctypes), in one place.
"""
