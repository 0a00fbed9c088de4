"""The interactive search (Textual): app.py, screens/, widgets/, app.tcss; backend.py is the one
module that talks to searchidx, behind a Protocol the tests fake."""
