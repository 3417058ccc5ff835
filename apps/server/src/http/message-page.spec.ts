import { describe, expect, it } from '@jest/globals';
import { errorPage, messagePage } from './message-page.js';

describe(errorPage.name, () => {
  it('shows the reason as text, never as markup', () => {
    const page = errorPage(`<script>alert("x")</script> & 'more'`);
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;more&#39;');
    expect(page).not.toContain('<script>');
    expect(page).toContain('This sign-in link does not work');
  });
});

describe(messagePage.name, () => {
  it('escapes its title, heading, paragraphs and link, and links on only when asked', () => {
    const page = messagePage({ title: 'T<', heading: 'H"', paragraphs: ['a&b', 'c'], next: { href: '/x?a=1&b="2"', text: 'On <now>' } });
    expect(page).toContain('<title>T&lt;</title>');
    expect(page).toContain('<h1>H&quot;</h1><p>a&amp;b</p><p>c</p><p><a href="/x?a=1&amp;b=&quot;2&quot;">On &lt;now&gt;</a></p>');
    expect(messagePage({ title: 't', heading: 'h', paragraphs: [] })).not.toContain('<a ');
  });
});
