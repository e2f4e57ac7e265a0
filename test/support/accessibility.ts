import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** The serious and critical accessibility violations axe finds on the page as it is now. */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  // runs in the page, where axe.min.js put `axe` on the global object
  const found = await page.evaluate(async () => {
    const { axe } = globalThis as unknown as {
      axe: { run: () => Promise<{ violations: { id: string; impact: string }[] }> };
    };
    return (await axe.run()).violations.map((v) => `${v.impact}: ${v.id}`);
  });
  return found.filter((v) => v.startsWith('serious') || v.startsWith('critical'));
}
