"""Certificates: issuing, downloading, verifying and revoking award certificates."""
