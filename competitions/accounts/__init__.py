"""Accounts: users, roles, signing in and out, and user administration."""
