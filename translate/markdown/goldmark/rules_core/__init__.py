"""Core rules run after the block parse: what Goldmark and Hugo read off whole blocks."""
