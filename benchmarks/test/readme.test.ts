/** The root README's Speed section shows the run of results/latest.json (src/readme.ts renders it; `pnpm bench` writes both). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { README_BEGIN, README_END, renderReadmeSpeed, withSpeedSection } from '../src/readme.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const latest = JSON.parse(readFileSync(new URL('../results/latest.json', import.meta.url), 'utf8'));

describe("README's Speed section", () => {
  it('holds the numbers of benchmarks/results/latest.json (after a full `pnpm bench`, commit both)', () => {
    const block = renderReadmeSpeed(latest.summary, { date: latest.date, machine: latest.machine, seconds: latest.seconds, skipped: latest.skipped });
    expect(block).toContain(latest.date.slice(0, 10));
    const shown = readme.slice(readme.indexOf(README_BEGIN) + README_BEGIN.length + 1, readme.indexOf(README_END) - 1);
    expect(shown, 'README.md is not what `pnpm bench` wrote for results/latest.json').toBe(block);
  });
  it('rewrites only what lies between the markers, and refuses a README without them', () => {
    const text = `before\n${README_BEGIN}\nold\n${README_END}\nafter\n`;
    expect(withSpeedSection(text, 'new')).toBe(`before\n${README_BEGIN}\nnew\n${README_END}\nafter\n`);
    expect(() => withSpeedSection('no markers', 'new')).toThrow(/markers/);
    expect(() => withSpeedSection(`${README_END}\n${README_BEGIN}`, 'new')).toThrow(/out of order/);
  });
});
