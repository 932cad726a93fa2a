"""Print HTML -> PDF: the reading and large-print editions (`writer`, with WeasyPrint),
the fold-and-staple booklet imposed from the reading edition (`impose`), and facts
read back from a written PDF (`info`).
"""
