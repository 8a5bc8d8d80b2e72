"""Prints the mutation score of a Stryker JSON report (killed and timed-out over all testable mutants)."""
import json
import sys

files = json.load(open(sys.argv[1]))["files"]
status = [m["status"] for f in files.values() for m in f["mutants"]]
killed = sum(s in ("Killed", "Timeout") for s in status)
survived = status.count("Survived")
uncovered = status.count("NoCoverage")
valid = killed + survived + uncovered
print(f"{100 * killed / valid:.2f} % ({killed} killed or timed out, {survived} survived, "
      f"{uncovered} not covered, {status.count('Ignored')} excluded, {status.count('CompileError')} compile errors)")
