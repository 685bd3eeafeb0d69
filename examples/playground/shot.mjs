import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
const [,, file, out] = process.argv;
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const p = await b.newPage({ viewport: { width: 1400, height: 700 }, deviceScaleFactor: 1.5 });
await p.setContent(`<body style="margin:8px">${readFileSync(file, 'utf8').replace(/<\?xml[^>]*>/, '')}</body>`);
await p.screenshot({ path: out });
await b.close();
