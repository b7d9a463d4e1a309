"""Agenda preparation: templates, planning the next meeting, Markdown import, circulation."""
