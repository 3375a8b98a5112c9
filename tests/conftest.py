"""Settings for the whole test suite.

Every store the tests create is a real encrypted SQLCipher store keyed through the real key
hierarchy. Only the Argon2id cost is lowered, through the explicit test setting
REFUGE_TEST_FAST_KDF (storage/keys.py), so thousands of store openings stay fast; the
default cost is tested on its own (tests/storage/test_encryption.py).
"""

from __future__ import annotations

import os

os.environ.setdefault("REFUGE_PASSPHRASE", "test passphrase, not a secret")
os.environ.setdefault("REFUGE_TEST_FAST_KDF", "1")
