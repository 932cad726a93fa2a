"""The model -> HTML through Jinja templates, with the words, fonts and branding
around the text (`html.Renderer`), and the glyph check of the fonts that will set it.
"""
