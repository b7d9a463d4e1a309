"""Durable workspace storage. The only package that imports tinydb."""
