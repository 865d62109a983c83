"""Tools for the real-postmortem corpus kept outside the repository (see README.md)."""
