// Writes test/fixtures/house_prices.csv: a deterministic, price-scale regression data set (targets
// ~1e5–8e5) for the target-scaling tests. Rerun: node --import tsx scripts/make-house-prices.ts
import { writeFileSync } from 'node:fs';
import { Rng } from '../src/core/rng.js';

const ROWS = 600;
const rng = new Rng(20261201);
const hoods = ['harbour', 'hillside', 'old town', 'suburbs'] as const;
const premium: Record<(typeof hoods)[number], number> = { harbour: 60000, hillside: 35000, 'old town': 20000, suburbs: 0 };
const lines = ['area_sqft,bedrooms,age_years,distance_km,neighbourhood,price'];
for (let i = 0; i < ROWS; i++) {
  const area = Math.round(600 + 2800 * rng.uniform());
  const bedrooms = Math.max(1, Math.min(6, Math.round(area / 700 + rng.normal() * 0.6)));
  const age = Math.round(70 * rng.uniform() ** 1.5);
  const distance = Math.round((1 + 29 * rng.uniform()) * 10) / 10;
  const hood = hoods[rng.int(hoods.length)]!;
  // Price: mostly linear in area, with diminishing value of distance and a depreciation curve, plus noise.
  const price = 40000 + 165 * area + 9000 * bedrooms - 1400 * age + 6 * age * age - 42000 * Math.log(distance) + premium[hood] + 18000 * rng.normal();
  lines.push(`${area},${bedrooms},${age},${distance},${hood},${Math.round(Math.max(30000, price))}`);
}
writeFileSync(new URL('../test/fixtures/house_prices.csv', import.meta.url), lines.join('\n') + '\n');
console.log(`wrote ${ROWS} rows to test/fixtures/house_prices.csv`);
