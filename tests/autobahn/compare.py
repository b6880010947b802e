#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 RsWebSockets contributors
# SPDX-License-Identifier: MIT OR Apache-2.0
"""Compare Autobahn|Testsuite results with tests/autobahn/expected.json, case by case.

usage: compare.py EXPECTED.json ROLE=REPORT_DIR [ROLE=REPORT_DIR ...] [--update] [--agent NAME]

A case's outcome is its behavior and closing behavior, written "OK", "INFORMATIONAL",
"NON-STRICT", ... when both agree or one is OK/INFORMATIONAL and the other is not, else
"BEHAVIOR/CLOSE". A case fails when:
  - its outcome differs from the expected one, unless it improved to OK (reported, so that the
    expected file can be updated with --update);
  - it has no expected outcome and is not OK or INFORMATIONAL;
  - it is in 1.* to 10.* (and, when listed as OK/INFORMATIONAL in EXPECTED, in 12.* and
    13.*) and is NON-STRICT, UNIMPLEMENTED or failed: those are hard requirements.
Prints one line per role and one summary line; exit 0 iff no case failed.
--update writes the outcomes of this run into EXPECTED (for the roles and cases that ran).
"""
import json
import os
import sys

PASSING = ("OK", "INFORMATIONAL")
RANK = {"OK": 0, "INFORMATIONAL": 1, "NON-STRICT": 2, "UNIMPLEMENTED": 3}


def case_key(cid):
    return tuple(int(x) for x in cid.split("."))


def outcome(case):
    b, c = case["behavior"], case["behaviorClose"]
    if b == c:
        return b
    if c in PASSING and b not in PASSING:
        return b
    if b in PASSING and c not in PASSING:
        return c
    if b in PASSING and c in PASSING:
        return "INFORMATIONAL"
    return "%s/%s" % (b, c)


def load_run(report_dir, agent):
    with open(os.path.join(report_dir, "index.json"), encoding="utf-8") as f:
        index = json.load(f)
    if agent not in index:
        raise SystemExit("%s: no results for agent %r (agents: %s)" % (report_dir, agent, ", ".join(index)))
    return {cid: outcome(c) for cid, c in index[agent].items()}


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    update = "--update" in argv
    agent = "rswebsockets"
    if "--agent" in argv:
        agent = argv[argv.index("--agent") + 1]
        args.remove(agent)
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    expected_path, runs = args[0], args[1:]
    expected = {}
    if os.path.exists(expected_path):
        with open(expected_path, encoding="utf-8") as f:
            expected = json.load(f)
    total_failures = 0
    lines = []
    for spec in runs:
        role, _, report_dir = spec.partition("=")
        got = load_run(report_dir, agent)
        want = expected.get(role, {})
        counts = {}
        failures, improved = [], []
        for cid in sorted(got, key=case_key):
            out = got[cid]
            counts[out] = counts.get(out, 0) + 1
            exp = want.get(cid)
            major = case_key(cid)[0]
            hard = major <= 10 or (major in (12, 13) and exp in PASSING)
            if hard and out not in PASSING:
                failures.append("%s(%s)" % (cid, out))
            elif exp is None:
                if out not in PASSING:
                    failures.append("%s(%s, not expected)" % (cid, out))
            elif out != exp:
                if out == "OK" or RANK.get(out, 9) < RANK.get(exp, 9):
                    improved.append("%s(%s->%s)" % (cid, exp, out))
                else:
                    failures.append("%s(%s, expected %s)" % (cid, out, exp))
        total_failures += len(failures)
        summary = " ".join("%s=%d" % (k, counts[k]) for k in sorted(counts, key=lambda k: RANK.get(k, 9)))
        lines.append("autobahn %s: %d cases: %s; %d regressions%s%s" % (
            role, len(got), summary, len(failures),
            (": " + " ".join(failures)) if failures else "",
            ("; improved (run with --update): " + " ".join(improved)) if improved else ""))
        if update:
            merged = dict(want)
            merged.update(got)
            expected[role] = {k: merged[k] for k in sorted(merged, key=case_key)}
    for line in lines:
        print(line)
    if update:
        with open(expected_path, "w", encoding="utf-8") as f:
            json.dump(expected, f, indent=1, sort_keys=False)
            f.write("\n")
        print("autobahn: wrote %s" % expected_path)
    print("autobahn: %s" % ("PASSED" if total_failures == 0 else "FAILED (%d regressions)" % total_failures))
    return 0 if total_failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
