"""What the registry model's rules draw: resource tags, image tags, layers, display names."""

from __future__ import annotations

from hypothesis import strategies as st

from ...strategies import semantic_values as semantic
from ...strategies.push import MIN_PART

TAG_KEYS = st.sampled_from(["team", "env", "owner", "cost-centre", "app"])
TAG_VALUES = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", max_size=12)
RESOURCE_TAGS = st.dictionaries(TAG_KEYS, TAG_VALUES, max_size=3)
IMAGE_TAGS = st.sampled_from(["latest", "v1", "v2", "stable"])
LAYERS = st.lists(semantic.blobs(1, 48), min_size=1, max_size=3)
DISPLAY_NAMES = st.text(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -", min_size=1, max_size=40
)

#: Filler of a 5 MiB first part (a valid part but the last), shared by every gap test.
FILLER = bytes(MIN_PART)
