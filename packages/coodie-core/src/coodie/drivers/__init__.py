"""The driver interface that plugins implement."""

from coodie.drivers.base import AbstractDriver, Decoder, Encoder

__all__ = ["AbstractDriver", "Decoder", "Encoder"]
