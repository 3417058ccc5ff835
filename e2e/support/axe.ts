/**
 * Accessibility as a test: axe-core's WCAG 2.1 A/AA rules and its best
 * practices over what a page shows now. A violation fails the test with each
 * rule, its help text and the elements it found.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/** Checks the page (or only `include`, a CSS selector) and names every violation if there is one. */
export async function expectAccessible(page: Page, state: string, include?: string): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags(AXE_TAGS);
  if (include) builder = builder.include(include);
  const { violations, passes } = await builder.analyze();
  const found = violations.map((violation) => ({
    rule: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.map((node) => `${node.target.join(' ')}: ${node.failureSummary ?? ''}`),
  }));
  expect(found, `axe-core violations in ${state}`).toEqual([]);
  // Something was checked: an empty page passes nothing.
  expect(passes.length, `axe-core checked nothing in ${state}`).toBeGreaterThan(0);
}
