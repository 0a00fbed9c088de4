"""Stories: articles about one event, across outlets, and what is named alongside what.

Flow: at rebuild, sync.py brings the story table of a generation in step with its articles
(grouping.py: near-duplicates and shared entities within a date window; text.py: the text
signatures compared). At search time grouped.py groups a search's hits by story, related.py
counts entities named alongside one, and timeline.py counts matches per day, week or month.
"""
