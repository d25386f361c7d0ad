"""The container health check: exit 0 when /health answers 200 within 3 seconds, else 1 (no curl in a slim image)."""

import os
import sys
import urllib.request

try:
    with urllib.request.urlopen(f"http://127.0.0.1:{os.environ.get('PORT', '8080')}/health", timeout=3) as response:
        sys.exit(0 if response.status == 200 else 1)
except Exception:  # any failure to connect or read is unhealthy
    sys.exit(1)
