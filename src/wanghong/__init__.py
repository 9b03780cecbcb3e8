"""wanghong 网红业务平台 — influencer business platform."""

__version__ = "0.1.0"
