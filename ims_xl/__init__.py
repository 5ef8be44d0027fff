"""ims_xl: reconcile GST IMS downloads with purchase registers and write the upload JSON."""

__version__ = "0.1.0"
