"""Full screens of the TUI: search, article, related names, timeline, export, help, no index."""
