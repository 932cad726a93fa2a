"""The web edition: one accessible page per booklet, shared assets, the library page."""
