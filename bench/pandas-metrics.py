#!/usr/bin/env python3
"""What a pandas user would write for the bench metrics, run by bench/run.mjs beside the CLI.

    /usr/bin/python3 bench/pandas-metrics.py FILE.csv|FILE.xlsx    prints one JSON line

read_csv / read_excel (openpyxl), to_datetime, groupby: rows, total revenue and units, min/max date,
revenue by region and by category, status counts, cancelled count and revenue, best row. Exits 3 when
pandas is not importable, so the caller can say so and skip it.
"""
import json
import os
import re
import resource
import sys

try:
    import pandas as pd
except ImportError:
    sys.stderr.write("pandas is not importable\n")
    sys.exit(3)


def column(df, pattern):
    for name in df.columns:
        if re.search(pattern, str(name).strip().lower()):
            return name
    return None


def main(path):
    if path.lower().endswith(".xlsx"):
        df = pd.read_excel(path, engine="openpyxl")
    else:
        df = pd.read_csv(path)
    revenue = column(df, r"revenue|sales|amount")
    units = column(df, r"^units|quantity|qty")
    date = column(df, r"date")
    region = column(df, r"region")
    category = column(df, r"categor")
    status = column(df, r"status")
    df[revenue] = pd.to_numeric(df[revenue], errors="coerce")
    df = df[df[revenue].notna()]
    out = {"rows": int(len(df)), "totalRevenue": round(float(df[revenue].sum()), 2)}
    if units is not None:
        out["totalUnits"] = int(pd.to_numeric(df[units], errors="coerce").sum())
    if date is not None:
        dates = pd.to_datetime(df[date], errors="coerce")
        out["dateRange"] = {"start": str(dates.min().date()), "end": str(dates.max().date())}
    for key, col in (("revenueByRegion", region), ("revenueByCategory", category)):
        if col is not None:
            sums = df.groupby(col)[revenue].sum().sort_values(ascending=False)
            out[key] = [{"name": str(k), "revenue": round(float(v), 2)} for k, v in sums.items()]
    if status is not None:
        out["statusCounts"] = {str(k): int(v) for k, v in df[status].value_counts().items()}
        cancelled = df[df[status].astype(str).str.lower().str.startswith("cancel")]
        out["cancellations"] = {"count": int(len(cancelled)), "revenue": round(float(cancelled[revenue].sum()), 2)}
    if len(df):
        best = df.loc[df[revenue].idxmax()]
        out["bestRow"] = {"revenue": round(float(best[revenue]), 2), "line": ",".join(map(str, best.tolist()))}
    print(json.dumps(out))


if __name__ == "__main__":
    try:
        main(sys.argv[1])
    finally:
        # Without GNU time the caller reads peak RSS and CPU from here (ru_maxrss is KiB on Linux).
        target = os.environ.get("BENCH_RSS_FILE")
        if target:
            usage = resource.getrusage(resource.RUSAGE_SELF)
            with open(target, "w") as f:
                json.dump({"maxRSS": usage.ru_maxrss, "userS": usage.ru_utime, "systemS": usage.ru_stime}, f)
