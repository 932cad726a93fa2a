"""The model -> EPUB 3: the package (`writer`), its fonts, cover, accessibility
metadata, and the print page map carried over from the PDF layout.
"""
