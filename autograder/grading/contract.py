"""The words of ``docs/contract.md`` that many checks cite (see ``Check.contract``).

The rules every exercise follows: each device, dtype and no-mutation check enforces one of
them, so they are spelled once here.
"""

from __future__ import annotations

ANY_DEVICE = "A function works for tensors on any device"
STAYS_ON_DEVICE = "Its results stay on the input's device"
KEEPS_DTYPE = "keep a floating input's dtype"
INPUTS_UNCHANGED = "A function leaves its inputs unchanged"
