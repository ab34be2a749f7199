"""A small interval file whose figures are worked out by hand in
tests/staffing/test_call_service_levels.py."""

from staffing.services.intervals import HEADER

HAND_CHECKED = [
    # 11/02 08:00, billing: the queue's total and its four agents' shares.
    "2026-11-02 08:00,billing,,10,8,1,6,200,1200,120,240,",
    "2026-11-02 08:00,billing,4101,2,2,0,2,20,300,30,60,900",
    "2026-11-02 08:00,billing,4102,2,2,0,1,60,300,30,60,900",
    "2026-11-02 08:00,billing,4103,2,2,0,2,40,300,30,60,600",
    "2026-11-02 08:00,billing,4104,2,2,0,1,80,300,30,60,900",
    # 11/02 08:15, billing: two agents.
    "2026-11-02 08:15,billing,,5,4,1,4,40,600,0,120,",
    "2026-11-02 08:15,billing,4101,2,2,0,2,20,300,0,60,900",
    "2026-11-02 08:15,billing,4102,2,2,0,2,20,300,0,60,900",
    # 11/02 08:00, payments: the queue's total only (no agent rows).
    "2026-11-02 08:00,payments,,4,4,0,2,100,480,60,60,",
    # 11/03 08:00, billing: lines open, nobody called.
    "2026-11-03 08:00,billing,,0,0,0,0,0,0,0,0,",
]


def interval_csv(*lines: str) -> bytes:
    return ("\n".join([",".join(HEADER), *lines]) + "\n").encode()
