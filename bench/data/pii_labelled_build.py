import json, re, sys
MARK = re.compile(r"\[\[([a-z_]+):(.+?)\]\]|\{\{([a-z_]+):(.+?)\}\}")
out = []
for split in ("tune", "holdout"):
    for n, line in enumerate(open(f"pii_labelled_{split}.src", encoding="utf-8").read().splitlines(), 1):
        src = line.replace("\\n", "\n")
        text, pii, look, pos = [], [], [], 0
        length = 0
        for m in MARK.finditer(src):
            text.append(src[pos:m.start()]); length += m.start() - pos
            kind, val = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            (pii if m.group(1) else look).append({"kind": kind, "text": val, "start": length})
            text.append(val); length += len(val); pos = m.end()
        text.append(src[pos:])
        t = "".join(text)
        for s in pii + look:
            assert t[s["start"]:s["start"] + len(s["text"])] == s["text"]
        out.append({"id": f"{split[0]}{n:03d}", "split": split, "text": t, "pii": pii, "lookalikes": look})
with open("pii_labelled.jsonl", "w", encoding="utf-8") as f:
    for r in out:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
from collections import Counter
print(len(out), Counter(s["kind"] for r in out for s in r["pii"]), sum(len(r["lookalikes"]) for r in out))
