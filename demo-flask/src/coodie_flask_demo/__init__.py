"""Task board: a Flask demo of coodie's synchronous API."""

from coodie_flask_demo.app import create_app

__all__ = ["create_app"]
