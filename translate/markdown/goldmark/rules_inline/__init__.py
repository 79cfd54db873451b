"""Inline rules that make markdown-it read text as Goldmark does, one per module."""
