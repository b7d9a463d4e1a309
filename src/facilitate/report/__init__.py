"""The annual report: meetings, attendance, training, decisions, actions and feedback of a year."""
