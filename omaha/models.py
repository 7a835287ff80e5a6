"""Models of the omaha app."""
