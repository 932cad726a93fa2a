"""What a build may read and let through: safe local reads, the resource policy, remote
fetches (`--allow-remote`), image checks, the raw-HTML sanitiser, and the limits.

The lowest stage above the engine: every other stage reads files through it.
"""
