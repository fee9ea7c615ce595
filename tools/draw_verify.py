#!/usr/bin/env python3
"""draw_verify.py — an independent re-implementation of the 双随机 draw
(docs/architecture.md, "The 双随机 draw"), so anyone can check a published
draw without jiceng: standard library only.

    tools/draw_verify.py PLAN_ID PUBLIC_VALUE COUNT PER_TARGET TARGETS INSPECTORS [LINKS]

TARGETS and INSPECTORS are comma-separated ids; LINKS comma-separated
INSPECTOR:TARGET 回避 pairs. Prints the registry digest, the seed and one
line per drawn target: "TARGET: INSPECTOR INSPECTOR ...".
"""
import hashlib
import sys


def registry_digest(targets, inspectors, links):
    h = hashlib.sha256()
    for t in sorted(targets):
        h.update(f"t:{t}\n".encode())
    for i in sorted(inspectors):
        h.update(f"i:{i}\n".encode())
    for i, t in sorted(links):
        h.update(f"x:{i}:{t}\n".encode())
    return h.hexdigest()


def seed(plan_id, digest, public_value):
    text = f"jiceng-draw-v1\n{plan_id}\n{digest}\n{public_value}\n"
    return hashlib.sha256(text.encode()).digest()


class Rng:
    def __init__(self, seed):
        self.seed, self.counter, self.words = seed, 0, []

    def next(self):
        if not self.words:
            block = hashlib.sha256(self.seed + self.counter.to_bytes(8, "big")).digest()
            self.words = [int.from_bytes(block[8 * w:8 * w + 8], "big") for w in range(4)]
            self.counter += 1
        return self.words.pop(0)

    def below(self, bound):
        skip = (2**64) % bound
        while True:
            v = self.next()
            if v >= skip:
                return v % bound


def draw(seed_bytes, targets, inspectors, links, count, per_target):
    rng = Rng(seed_bytes)
    t = sorted(targets)
    for k in range(count):
        j = k + rng.below(len(t) - k)
        t[k], t[j] = t[j], t[k]
    banned = set(links)
    result = []
    for target in t[:count]:
        pool = [i for i in sorted(inspectors) if (i, target) not in banned]
        if len(pool) < per_target:
            raise SystemExit(f"target {target}: only {len(pool)} eligible inspectors")
        for p in range(per_target):
            j = p + rng.below(len(pool) - p)
            pool[p], pool[j] = pool[j], pool[p]
        result.append((target, pool[:per_target]))
    return result


def main(argv):
    plan_id, public_value, count, per = int(argv[1]), argv[2], int(argv[3]), int(argv[4])
    targets = [int(x) for x in argv[5].split(",") if x]
    inspectors = [int(x) for x in argv[6].split(",") if x]
    links = [tuple(int(y) for y in x.split(":")) for x in (argv[7] if len(argv) > 7 else "").split(",") if x]
    d = registry_digest(targets, inspectors, links)
    s = seed(plan_id, d, public_value)
    print("digest", d)
    print("seed", s.hex())
    for target, ins in draw(s, targets, inspectors, links, count, per):
        print(f"{target}: {' '.join(str(i) for i in ins)}")


if __name__ == "__main__":
    main(sys.argv)
