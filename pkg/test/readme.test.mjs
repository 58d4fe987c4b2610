// The sizes in README.md are the measured ones (within 10%), so the README stays true as the
// library grows. Needs pkg/dist/size.json from `npm run build`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

test("README.md reports the measured .wasm size, raw and gzipped", () => {
  const size = JSON.parse(readFileSync(new URL("../dist/size.json", import.meta.url), "utf8"));
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const number = (label) => {
    const m = readme.match(new RegExp(`^\\| ${label} \\| ([\\d,]+) `, "m"));
    assert.ok(m, `README has a "| ${label} |" row`);
    return Number(m[1].replaceAll(",", ""));
  };
  for (const [label, measured] of [["raw", size.raw], ["gzip -9", size.gzip], ["brotli 11", size.brotli]]) {
    const written = number(label);
    assert.ok(
      Math.abs(written - measured) / measured <= 0.1,
      `README says ${label} ${written}, the build measured ${measured}: update pkg/README.md`,
    );
  }
  assert.ok(size.gzip <= 700_000, "within the budget");
});
