#!/usr/bin/env python3
"""Production-like one-minute demand traces for checking simulate and tune on more than the bundled examples.

Two weeks each, starting on a Monday; demand in percent of one task (the CSV format of `stepscale simulate --trace`).
weekly: office-hours cycle, quieter weekends, 6 % noise.  news: diurnal base plus Pareto-sized bursts of 5-60 min.
flash: a 700-unit crowd on day 11 (inside the last 30 %).  ramp: demand doubles over the two weeks.
sawtooth: hourly batch jobs.  plateau: flat with 15 % noise.  gaps: rows missing for 4 h every other night.
outage: demand near zero for 2 h on day 8, then a thundering herd.
Usage: python3 scripts/prodlike-traces.py OUT_DIR   (deterministic: seed 7)"""
import math, random, sys, os
from datetime import datetime, timedelta, timezone
out = sys.argv[1]; os.makedirs(out, exist_ok=True)
start = datetime(2026, 3, 2, tzinfo=timezone.utc)  # a Monday
def write(name, vals, gaps=()):
    with open(os.path.join(out, name + ".csv"), "w") as f:
        f.write("timestamp,demand\n")
        for i, v in enumerate(vals):
            if any(a <= i < b for a, b in gaps): continue
            f.write(f"{(start + timedelta(minutes=i)).strftime('%Y-%m-%dT%H:%M:%SZ')},{max(0.0, v):.2f}\n")
def diurnal(i, base, amp, weekend=0.6):
    day = (i // 1440) % 7; h = (i % 1440) / 60
    w = weekend if day >= 5 else 1.0
    return base + amp * w * max(0, math.sin(math.pi * (h - 6) / 14)) if 6 <= h <= 20 else base
N = 14 * 1440
r = random.Random(7)
# 1 weekly cycle with noise (like an ELB RequestCount series)
write("weekly", [diurnal(i, 90, 420) * (1 + r.gauss(0, 0.06)) for i in range(N)])
# 2 bursty news-driven: base diurnal + Pareto bursts lasting 5-60 min
v = [diurnal(i, 120, 250) for i in range(N)]
i = 0
while i < N:
    i += int(r.expovariate(1 / 300)) + 1
    L = r.randint(5, 60); A = min(600, 60 * r.paretovariate(1.5))
    for k in range(i, min(N, i + L)): v[k] += A * math.exp(-(k - i) / (L / 2))
write("news", [x * (1 + r.gauss(0, 0.08)) for x in v])
# 3 flash crowd on day 11 (so it sits in the last 30 %)
write("flash", [diurnal(i, 80, 200) * (1 + r.gauss(0, 0.05)) + (700 * math.exp(-((i - 11 * 1440 - 780) / 40) ** 2) if abs(i - 11 * 1440 - 780) < 200 else 0) for i in range(N)])
# 4 slow ramp: 2x growth over two weeks
write("ramp", [diurnal(i, 80, 250) * (1 + i / N) * (1 + r.gauss(0, 0.05)) for i in range(N)])
# 5 batch sawtooth: hourly batch jobs
write("sawtooth", [100 + 400 * ((i % 60) / 60) ** 3 + r.gauss(0, 10) for i in range(N)])
# 6 noisy plateau
write("plateau", [300 + r.gauss(0, 45) for i in range(N)])
# 7 quiet night with gaps (missing minutes at night)
gaps = [(d * 1440 + 60, d * 1440 + 300) for d in range(0, 14, 2)]
write("gaps", [diurnal(i, 40, 350) * (1 + r.gauss(0, 0.07)) for i in range(N)], gaps)
# 8 outage: demand drops to ~0 for 2 h then a thundering herd
write("outage", [(5 if 8 * 1440 + 600 <= i < 8 * 1440 + 720 else diurnal(i, 90, 300) * (1 + r.gauss(0, 0.05)) + (500 * math.exp(-(i - 8 * 1440 - 720) / 20) if i >= 8 * 1440 + 720 else 0)) for i in range(N)])
