# CSV -> NDJSON with typed fields, an independent reference for kproduce --format csv.
import csv, json, sys
def typed(s):
    if s == "": return None
    try: return int(s)
    except ValueError: pass
    try: return float(s)
    except ValueError: return s
for row in csv.DictReader(open(sys.argv[1])):
    print(json.dumps({k: typed(v) for k, v in row.items()}))
