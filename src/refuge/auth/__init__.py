"""Identity and access for the web app and the API: users, teams, Argon2id passwords,
server-side sessions, scoped API tokens, and need-to-know access to cases (``access.visible``).
"""
