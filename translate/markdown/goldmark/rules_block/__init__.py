"""Block rules that make markdown-it read blocks as Goldmark does, one per module."""
