import { describe, expect, it } from '@jest/globals';
import { errorPage } from './error-page.js';

describe(errorPage.name, () => {
  it('shows the reason as text, never as markup', () => {
    const page = errorPage(`<script>alert("x")</script> & 'more'`);
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;more&#39;');
    expect(page).not.toContain('<script>');
    expect(page).toContain('This sign-in link does not work');
  });
});
