"""Reading the sources: booklet.toml, help contacts, front matter and Markdown -> the model.

`load_booklet` turns a booklet folder into a validated `model.Booklet`; `config`
reads the project's booklet.toml. Nothing here renders or writes.
"""
