import { Marked } from 'marked';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Links a tool's markdown may keep: web addresses and paths inside the app; never `javascript:` or `data:`. */
const safeHref = (href: string) => /^(https?:\/\/|\/(?!\/)|#)/i.test(href.trim());

// A tool's result comes from a plugin: its markdown may not carry HTML, scripts, or images fetched from elsewhere.
const toolMarkdown = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html: ({ text }) => escapeHtml(text),
    link({ href, tokens }) {
      return safeHref(href) ? false : this.parser.parseInline(tokens);
    },
    image: ({ text }) => escapeHtml(text),
  },
});

/** A tool result's markdown as HTML safe to put in the page: raw HTML is shown as text, unsafe links as their words. */
export function renderToolMarkdown(text: string): string {
  return toolMarkdown.parse(text, { async: false });
}
