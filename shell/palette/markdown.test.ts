import { describe, expect, it } from 'vitest';
import { renderToolMarkdown } from './markdown.ts';

describe("a tool result's markdown", () => {
  it('renders headings, emphasis, lists and tables', () => {
    const html = renderToolMarkdown('# Orders\n\n**3** models:\n\n- a\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |');
    expect(html).toContain('<h1>Orders</h1>');
    expect(html).toContain('<strong>3</strong>');
    expect(html).toContain('<li>a</li>');
    expect(html).toContain('<td>1</td>');
  });

  it('shows raw HTML as text, so a plugin cannot run script in the page', () => {
    const html = renderToolMarkdown('hi <img src=x onerror="alert(1)"> <script>alert(2)</script>');
    expect(html).not.toMatch(/<img|<script/i);
    expect(html).toContain('&lt;script&gt;');
  });

  it('keeps web and in-app links but drops javascript: and data: ones, and shows images as their text', () => {
    const html = renderToolMarkdown(
      '[docs](https://docs.getdbt.com) [model](/w/demo/models/x) [bad](javascript:alert(1)) [worse](data:text/html,x) ![logo](https://evil.example/t.png)',
    );
    expect(html).toContain('<a href="https://docs.getdbt.com">docs</a>');
    expect(html).toContain('<a href="/w/demo/models/x">model</a>');
    expect(html).not.toMatch(/javascript:|data:|<img/);
    expect(html).toContain('bad');
    expect(html).toContain('logo');
  });
});
